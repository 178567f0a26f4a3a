using System.Data.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Readings;

/// <summary>
/// The one door through which readings become money, for the API, the poller, NB-IoT callbacks and the benchmark.
/// A batch is one transaction: it is billed whole or not at all, and replaying it changes nothing (R9).
/// Overload alarms the batch's powers raise or clear go out on <paramref name="devices"/> after the commit.
/// On SQLite a batch starts from the state the last committed batch left when nothing else has written to the database since
/// (ReadingIngestor.Kept.cs): a catch-up of many batches reads its meters once, not once per batch.
/// </summary>
public sealed partial class ReadingIngestor(Db db, TimeProvider time, IPostingEvents events, DeviceEventBus? devices = null)
{
    /// <summary>Times each step of every batch when set (the benchmark's profile).</summary>
    public IngestPhases? Phases { get; init; }

    public Task<ReadingOutcome[]> IngestAsync(IReadOnlyList<ReadingInput> batch, CancellationToken ct = default) => IngestAsync(batch, null, ct);

    /// <param name="first">
    /// Written in the batch's transaction before its readings, and committed with them or not at all (the poller's meter
    /// status: one transaction and one commit for a joined write). It runs after the kept state was taken and before the
    /// mark is read again, so the state is kept across it: it must not write anything <see cref="IngestState"/> holds
    /// (meters' billing columns, account meters, accounts, sites, tariffs, ledger balances, R13's usage).
    /// </param>
    public async Task<ReadingOutcome[]> IngestAsync(IReadOnlyList<ReadingInput> batch, Func<DbConnection, DbTransaction, CancellationToken, Task>? first,
        CancellationToken ct = default)
    {
        var outcomes = new ReadingOutcome[batch.Count];
        if (batch.Count == 0 && first is null) return outcomes;
        // R9a: in timestamp order across meters (ties by meter), so a batch bills exactly as its readings delivered one by
        // one in time order, however it is shuffled or split; meters of one account share its tier usage (R13).
        var order = InTimeOrder(batch);

        IReadOnlyList<OutboxRow> published;
        IReadOnlyList<DeviceAlarmChange> alarms;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            var t = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var state = await TakeStateAsync(connection, tx);
            var run = new IngestRun(connection, tx, db.Dialect, time.GetUtcNow(), state) { Phases = Phases };
            Phases?.Add("open", t);
            if (first is not null) await first(connection, tx, ct);
            await run.LoadAsync(batch.Select(r => r.MeterId));
            t = System.Diagnostics.Stopwatch.GetTimestamp();
            await run.PrefetchStoredAsync(batch);
            foreach (var i in order)
            {
                if (!run.Knows(batch[i].MeterId)) throw new ArgumentException($"Meter {batch[i].MeterId} does not exist.");
                outcomes[i] = await run.ApplyAsync(batch[i], ct);
            }
            published = run.Events.ToList();
            t = Phases?.Add("judge+price+post", t) ?? t;
            await run.FlushAsync(ct);
            alarms = run.AlarmChanges.ToList();
            var toKeep = await ToKeepAsync(connection, tx, state);
            t = System.Diagnostics.Stopwatch.GetTimestamp();
            await tx.CommitAsync(ct);
            Phases?.Add("commit", t);
            kept = toKeep;
        }
        finally
        {
            db.WriteGate.Release();
        }
        events.Posted(published);
        foreach (var a in alarms) devices?.Publish(a);
        return outcomes;
    }

    /// <summary>The batch's indexes by timestamp, then meter, then position: one sort of plain keys.</summary>
    static int[] InTimeOrder(IReadOnlyList<ReadingInput> batch)
    {
        var keys = new (long Ticks, long MeterId, int Index)[batch.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = (batch[i].At.UtcTicks, batch[i].MeterId, i);
        Array.Sort(keys);
        var order = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++) order[i] = keys[i].Index;
        return order;
    }

    /// <summary>An operator accepts or rejects the suspect reading that holds a meter (R8).</summary>
    public async Task<IReadOnlyList<ReadingOutcome>?> ResolveHeldAsync(long meterId, bool accept, string? note, CancellationToken ct = default)
    {
        IReadOnlyList<OutboxRow> published;
        IReadOnlyList<ReadingOutcome> outcomes;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            kept = null;
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var run = new IngestRun(connection, tx, db.Dialect, time.GetUtcNow());
            await run.LoadAsync([meterId]);
            if (!run.Knows(meterId) || !run.IsHeld(meterId)) return null;
            outcomes = await run.ResolveHeldAsync(meterId, accept, note, ct);
            published = run.Events.ToList();
            await run.FlushAsync(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        events.Posted(published);
        return outcomes;
    }
}
