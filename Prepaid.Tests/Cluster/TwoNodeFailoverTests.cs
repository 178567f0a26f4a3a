using System.Diagnostics;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// Two platform processes on one PostgreSQL database and one Redis, the buses split between them by lease (see
/// <see cref="TwoNodeWorld"/>); a batch trip of all sixty meters runs; one node dies (SIGKILL) or stalls (SIGSTOP past its
/// lease, then SIGCONT) part-way through. Every command ends confirmed once, each gateway hears one node at a time, the
/// stalled node writes nothing once its buses are taken over, the payment and notification jobs fire once per interval
/// across both nodes, and a dashboard client on the surviving node sees each confirmation exactly once (through the
/// Redis backplane for those confirmed by the other node).
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

        output.WriteLine($"{Meters} commands on {Buses} buses; SIGKILL of node A at {confirmedAtKill} confirmed ({100.0 * confirmedAtKill / Meters:F0} %); " +
                         $"node B owned every bus {takeover.TotalSeconds:F1} s later; all confirmed {killed.Elapsed.TotalSeconds:F1} s after the kill");
        await w.AssertOnceEachAsync(batch, killedAt, DateTime.UtcNow);
    }

    [Fact]
    public async Task TwoNode_PausedPastItsLease_SendsNothingAfterTakeover()
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
        var writes = frames.Count(f => GatewayLog.IsWrite(f.Function));
        // Reads to a bus A does not hold again: what was in flight when it stopped (the poller checks the lease before
        // each meter, not each frame; a trip's read-back follows its write unchecked). Reported, not asserted.
        var stale = frames.Where(f => !heldNow.Contains(f.Gateway)).GroupBy(f => f.Gateway)
            .Select(g => $"gw {g.Key}: {g.Count()} at +{(g.Min(f => f.At) - resumed).TotalSeconds:F2}…{(g.Max(f => f.At) - resumed).TotalSeconds:F2} s").ToList();
        output.WriteLine($"{Meters} commands on {Buses} buses; SIGSTOP of node A at {confirmedAtPause} confirmed ({100.0 * confirmedAtPause / Meters:F0} %); " +
                         $"node B owned every bus {takeoverAfter.TotalSeconds:F1} s later; node A resumed after all were confirmed and sent " +
                         $"{writes} writes and {frames.Count - writes} reads after the takeover; it holds {heldNow.Count} buses again (B gave up its excess); " +
                         $"reads to buses it does not hold, after its resume: {(stale.Count == 0 ? "none" : string.Join("; ", stale))}");
        Assert.Equal(0, writes);
        await w.AssertOnceEachAsync(batch, pausedAt, takeover);
    }
}

/// <summary>The two-node tests start four platform processes between them: never two at once on a two-core machine.</summary>
[CollectionDefinition(nameof(TwoNodeCollection), DisableParallelization = true)]
public sealed class TwoNodeCollection;
