using Prepaid.Api.Readings;

namespace Prepaid.Api.Devices;

/// <summary>What a lane read: its meters' outcomes (with the bus's offline threshold) and the readings to bill. The poller
/// hands one over per meter as it answers; a test may hand over a whole bus.</summary>
public sealed record LaneResult(IReadOnlyList<PollOutcome> Outcomes, long OfflineAfter, IReadOnlyList<ReadingInput> Readings)
{
    internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for the poller: whatever the lanes hand over while a write is under way, or within <see cref="Gather"/>
/// of its start, is written together, as one transaction (the meter status, then one ingest batch), so the 10,000 answers
/// of a sweep cost a few commits, not two per meter, and the writing overlaps the wire. Billing a joined batch equals
/// billing each part in turn (R9a orders by time across meters). When nothing else commits between two joined writes, the
/// ingest starts each from the state the one before left (<see cref="ReadingIngestor.BatchesOnKeptState"/>). A joined
/// write that fails is retried part by part, so one bad part fails alone, and of a part that fails nothing is committed:
/// neither its status nor its money.
/// </summary>
public sealed class PollWrites(MeterStatusWriter status, ReadingIngestor ingestor, TimeProvider time)
{
    readonly Lock sync = new();
    List<LaneResult> pending = [];
    bool draining;
    // Set when a joined write should start without waiting out Gather: a lane handed its last answer, or enough are waiting.
    TaskCompletionSource due = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long? lastStart;

    /// <summary>
    /// The least time between the starts of two joined writes while lanes are still reading. Every write has a cost of
    /// its own (its look-ups and its commit), so a sweep gathers its answers into a few writes instead
    /// of one per write's duration; a lane's last answer is written at once, so a sweep still ends one write after its
    /// last read.
    /// </summary>
    public TimeSpan Gather { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Answers waiting that start a write without waiting out <see cref="Gather"/>.</summary>
    public int GatherAtMost { get; init; } = 5_000;

    internal IngestPhases? Phases { get; set; }

    /// <summary>Joined writes so far (one transaction each: the meter status and one ingest batch).</summary>
    public long Count => Interlocked.Read(ref count);

    long count;

    /// <summary>Completes once the lane's status and readings are committed (or throws what writing them threw).</summary>
    /// <param name="last">False while the lane has more answers to hand over: the write may then wait out <see cref="Gather"/>
    /// for them. A lane that stops early without handing over a last one calls <see cref="Flush"/>.</param>
    public Task WriteAsync(LaneResult lane, bool last = true)
    {
        var start = false;
        lock (sync)
        {
            pending.Add(lane);
            if (last || pending.Count >= GatherAtMost) due.TrySetResult();
            if (!draining) draining = start = true;
        }
        if (start) _ = Task.Run(DrainAsync);
        return lane.Done.Task;
    }

    /// <summary>Starts writing what is waiting without waiting out <see cref="Gather"/>.</summary>
    public void Flush()
    {
        lock (sync) due.TrySetResult();
    }

    async Task DrainAsync()
    {
        while (true)
        {
            Task dueTask;
            lock (sync)
            {
                if (pending.Count == 0)
                {
                    draining = false;
                    return;
                }
                dueTask = due.Task;
            }
            var wait = lastStart is { } started ? Gather - time.GetElapsedTime(started) : TimeSpan.Zero;
            if (!dueTask.IsCompleted && wait > TimeSpan.Zero)
                await Task.WhenAny(dueTask, Task.Delay(wait, time));
            List<LaneResult> taken;
            lock (sync)
            {
                // Only this loop takes from pending, so it still holds what was there before the wait.
                taken = pending;
                pending = [];
                if (due.Task.IsCompleted) due = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            lastStart = time.GetTimestamp();
            Interlocked.Increment(ref count);
            await WriteTogetherAsync(taken);
        }
    }

    async Task WriteTogetherAsync(List<LaneResult> lanes)
    {
        var failed = new Dictionary<LaneResult, Exception>();
        await EachOrTogetherAsync(lanes, failed, WriteAsync);
        foreach (var lane in lanes)
        {
            if (failed.TryGetValue(lane, out var e)) lane.Done.TrySetException(e);
            else lane.Done.TrySetResult();
        }
    }

    /// <summary>The lanes' meter status and readings in one transaction: the status first, in the ingest batch's transaction.</summary>
    async Task WriteAsync(IReadOnlyList<LaneResult> lanes)
    {
        IReadOnlyList<DeviceAlarmChange> raised = [];
        await ingestor.IngestAsync([.. lanes.SelectMany(l => l.Readings)], async (connection, tx, ct) =>
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            raised = await status.WriteAsync(connection, tx, [.. lanes.SelectMany(l => l.Outcomes.Select(o => (o, l.OfflineAfter)))], ct);
            Phases?.Add("poll:status", t);
        });
        status.Publish(raised);
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
