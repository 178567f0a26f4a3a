using Prepaid.Api.Readings;

namespace Prepaid.Api.Devices;

/// <summary>What one lane read: its meters' outcomes (with the bus's offline threshold) and the readings to bill.</summary>
public sealed record LaneResult(IReadOnlyList<PollOutcome> Outcomes, long OfflineAfter, IReadOnlyList<ReadingInput> Readings)
{
    internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for the poller: lanes that finish while a write is under way are written together, in one status
/// transaction and one ingest batch, so hundreds of buses finishing in the same second cost two commits, not two per bus.
/// Billing a joined batch equals billing each lane's batch in turn (R9a orders by time across meters). A joined write
/// that fails is retried lane by lane, so one bad lane fails alone.
/// </summary>
public sealed class PollWrites(MeterStatusWriter status, ReadingIngestor ingestor)
{
    readonly Lock sync = new();
    List<LaneResult> pending = [];
    bool draining;

    /// <summary>Completes once the lane's status and readings are committed (or throws what writing them threw).</summary>
    public Task WriteAsync(LaneResult lane)
    {
        var start = false;
        lock (sync)
        {
            pending.Add(lane);
            if (!draining) draining = start = true;
        }
        if (start) _ = Task.Run(DrainAsync);
        return lane.Done.Task;
    }

    async Task DrainAsync()
    {
        while (true)
        {
            List<LaneResult> taken;
            lock (sync)
            {
                if (pending.Count == 0)
                {
                    draining = false;
                    return;
                }
                taken = pending;
                pending = [];
            }
            await WriteTogetherAsync(taken);
        }
    }

    async Task WriteTogetherAsync(List<LaneResult> lanes)
    {
        var failed = new Dictionary<LaneResult, Exception>();
        await EachOrTogetherAsync(lanes, failed,
            group => status.RecordAsync([.. group.SelectMany(l => l.Outcomes.Select(o => (o, l.OfflineAfter)))]));
        await EachOrTogetherAsync([.. lanes.Where(l => !failed.ContainsKey(l) && l.Readings.Count > 0)], failed,
            group => ingestor.IngestAsync([.. group.SelectMany(l => l.Readings)]));
        foreach (var lane in lanes)
        {
            if (failed.TryGetValue(lane, out var e)) lane.Done.TrySetException(e);
            else lane.Done.TrySetResult();
        }
    }

    static async Task EachOrTogetherAsync(List<LaneResult> lanes, Dictionary<LaneResult, Exception> failed, Func<IReadOnlyList<LaneResult>, Task> write)
    {
        if (lanes.Count == 0) return;
        try
        {
            await write(lanes);
            return;
        }
        catch (Exception) when (lanes.Count > 1)
        {
            // Nothing of the joined write was committed; each lane on its own finds out whether it was the bad one.
        }
        catch (Exception e)
        {
            failed[lanes[0]] = e;
            return;
        }
        foreach (var lane in lanes)
        {
            try { await write([lane]); }
            catch (Exception e) { failed[lane] = e; }
        }
    }
}
