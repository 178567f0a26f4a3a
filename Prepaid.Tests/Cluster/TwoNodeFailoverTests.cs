using System.Diagnostics;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// Two platform processes on one PostgreSQL database and one Redis, the buses split between them by lease (see
/// <see cref="TwoNodeWorld"/>); a batch trip of all sixty meters runs; one node dies (SIGKILL) or stalls (SIGSTOP past its
/// lease, then SIGCONT) part-way through. Every command ends confirmed once, each gateway hears one node at a time, the
/// stalled node sends nothing once its buses are taken over beyond the frames it had queued when it stopped, the
/// payment and notification jobs fire once per interval across both nodes, and a dashboard client on the surviving node
/// sees each confirmation exactly once, those the other node confirmed just before it died included (from the
/// command_events rows committed with each confirmation, which the surviving node sends to its own clients).
/// </summary>
[Collection(nameof(TwoNodeCollection))]
public class TwoNodeFailoverTests(ITestOutputHelper output)
{
    const int Meters = TwoNodeWorld.Meters, Buses = TwoNodeWorld.Buses;

    [Fact]
    public async Task TwoNode_KilledNodesBusesTakenOver_EveryCommandConfirmedOnce()
    {
        await using var w = await TwoNodeWorld.StartAsync(output);
        var (batch, confirmedAtKill) = await w.TripAllUntilUnderwayAsync();
        await using var _ = batch;

        var killedAt = DateTime.UtcNow;
        var killed = Stopwatch.StartNew();
        w.A.Kill();
        await w.BOwnsEveryBusAsync();
        var takeover = killed.Elapsed;
        await w.AllConfirmedAsync(batch);
        var done = killed.Elapsed;
        // A few job intervals with B alone, its recovered triggers and its own.
        await Task.Delay(TimeSpan.FromSeconds(2.5 * PlatformNode.JobSeconds));

        output.WriteLine($"{Meters} commands on {Buses} buses; SIGKILL of node A at {confirmedAtKill} confirmed ({100.0 * confirmedAtKill / Meters:F0} %); " +
                         $"node B owned every bus {takeover.TotalSeconds:F1} s later; all confirmed {done.TotalSeconds:F1} s after the kill");
        await w.AssertOnceEachAsync(batch, killedAt, DateTime.UtcNow);
    }

    [Fact]
    public async Task TwoNode_PausedPastItsLease_SendsNothingToItsLostBusesAfterTakeover()
    {
        await using var w = await TwoNodeWorld.StartAsync(output);
        var (batch, confirmedAtPause) = await w.TripAllUntilUnderwayAsync();
        await using var _ = batch;

        var pausedAt = DateTime.UtcNow;
        var paused = Stopwatch.StartNew();
        w.A.Pause();
        var takeover = await w.BOwnsEveryBusAsync();
        var takeoverAfter = paused.Elapsed;
        await w.AllConfirmedAsync(batch);
        var resumed = DateTime.UtcNow;
        w.A.Resume();
        // Long enough for A to run on from where it stopped, renew, find its buses gone and settle its share again.
        await Task.Delay(TimeSpan.FromSeconds(PlatformNode.LeaseSeconds * 3));

        var (frames, heldNow) = await w.SentByAAfterAsync(takeover);
        var writes = frames.Where(f => GatewayLog.IsWrite(f.Function)).ToList();
        // Nothing A sends after the takeover may be a write (B had confirmed every command) or go to a bus it does not
        // hold again: frames that were queued on a bus's link when it stopped find, at their turn on the wire, that
        // the lease has lapsed, and are not sent.
        var stale = frames.Where(f => !heldNow.Contains(f.Gateway) || GatewayLog.IsWrite(f.Function)).ToList();
        var byGateway = stale.GroupBy(f => f.Gateway)
            .Select(g => $"gw {g.Key}: {g.Count(f => GatewayLog.IsWrite(f.Function))} w {g.Count(f => !GatewayLog.IsWrite(f.Function))} r at " +
                         $"+{(g.Min(f => f.At) - resumed).TotalSeconds:F2}…{(g.Max(f => f.At) - resumed).TotalSeconds:F2} s").ToList();
        output.WriteLine($"{Meters} commands on {Buses} buses; SIGSTOP of node A at {confirmedAtPause} confirmed ({100.0 * confirmedAtPause / Meters:F0} %); " +
                         $"node B owned every bus {takeoverAfter.TotalSeconds:F1} s later; node A resumed after all were confirmed and sent " +
                         $"{writes.Count} writes and {frames.Count - writes.Count} reads after the takeover; it holds {heldNow.Count} buses again (B gave up its excess); " +
                         $"frames sent as it woke (writes, or to buses it does not hold): {(byGateway.Count == 0 ? "none" : string.Join("; ", byGateway))}");
        Assert.True(stale.Count == 0, $"node A sent {stale.Count} frames after the takeover it had no right to: {string.Join("; ", byGateway)}");
        await w.AssertOnceEachAsync(batch, pausedAt, takeover);
    }
}

/// <summary>The two-node tests start four platform processes between them: never two at once on a two-core machine.</summary>
[CollectionDefinition(nameof(TwoNodeCollection), DisableParallelization = true)]
public sealed class TwoNodeCollection;
