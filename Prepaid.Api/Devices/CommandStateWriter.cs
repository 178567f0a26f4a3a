using System.Collections.Concurrent;
using Dapper;
using Prepaid.Api.Cluster;
using Prepaid.Api.Data;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>A command's new state, with the read-back that confirmed it (if any).</summary>
public sealed record CommandUpdate(long Id, long MeterId, string Kind, long? BatchId, string State, long Attempts, long NextAttemptAtMs,
    string? Detail, string? Error, MeterSnapshot? ReadBack = null, string? PlatformCommandId = null, string? ExpectedState = null, LeaseClaim? Lease = null);

/// <summary>
/// The one writer of command states during a dispatch run. Lanes (one per bus) hand it updates and go on talking to
/// meters; it commits whatever has gathered in one transaction. With fifty lanes, fifty SQLite writers would queue on
/// the file lock and stall the buses; one writer batching keeps the wire the bottleneck, as it should be.
/// Each applied change is recorded in <c>command_events</c> in the same transaction (<see cref="CommandEvents"/>); events
/// go out on the bus after the commit. An update applies only from the state it expects, and one that carries a lease claim only while the lease still has
/// that epoch: a node that lost the bus (paused, partitioned) writes nothing, and no event goes out for it.
/// </summary>
public sealed class CommandStateWriter(Db db, MeterStatusWriter status, DeviceEventBus events, NodeLeases leases, TimeProvider time)
{
    readonly ConcurrentQueue<CommandUpdate> queue = new();
    readonly SemaphoreSlim flushing = new(1, 1);

    public void Add(CommandUpdate update) => queue.Enqueue(update);

    public async Task FlushAsync(CancellationToken ct = default)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var batch = new List<CommandUpdate>();
            while (queue.TryDequeue(out var u)) batch.Add(u);
            if (batch.Count == 0) return;
            var now = time.GetUtcNow();
            var nowMs = now.ToUnixTimeMilliseconds();
            var cleared = new List<DeviceAlarmChange>();
            var applied = new List<CommandUpdate>(batch.Count);
            List<CommandChange> changes;
            await db.WriteGate.WaitAsync(ct);
            try
            {
                await using var connection = await db.OpenAsync(ct);
                await using var tx = db.Dialect.BeginWrite(connection);
                foreach (var u in batch)
                {
                    var written = await connection.ExecuteAsync("""
                        UPDATE device_commands SET state = @State, attempts = @Attempts, next_attempt_at_ms = @NextAttemptAtMs, detail = @Detail, error = @Error,
                            platform_command_id = COALESCE(@PlatformCommandId, platform_command_id), updated_at_ms = @nowMs
                        WHERE id = @Id
                        """ + (u.ExpectedState is null ? "" : " AND state = @ExpectedState") + (u.Lease is null || !leases.Enabled ? "" : NodeLeases.StillHeld),
                        new { u.State, u.Attempts, u.NextAttemptAtMs, u.Detail, u.Error, u.PlatformCommandId, nowMs, u.Id, u.ExpectedState,
                            LeaseResource = u.Lease?.Resource, LeaseEpoch = u.Lease?.Epoch, LeaseOwner = leases.NodeId }, tx);
                    if (written == 0) continue;
                    applied.Add(u);
                    if (u.ReadBack is { } readBack && await status.RecordSwitchAsync(connection, tx, u.MeterId, readBack, nowMs) is { } alarm) cleared.Add(alarm);
                }
                changes = [.. applied.Select(u => new CommandChange(u.Id, u.MeterId, u.Kind, u.State, u.Detail, u.Error, u.BatchId, now))];
                await CommandEvents.WriteAsync(connection, tx, db.Dialect, changes, ct);
                await tx.CommitAsync(ct);
            }
            finally
            {
                db.WriteGate.Release();
            }
            foreach (var c in changes) events.Publish(c);
            foreach (var a in cleared) events.Publish(a);
            foreach (var batchId in applied.Where(u => u.BatchId is not null).Select(u => u.BatchId!.Value).Distinct())
                events.Publish(await BatchProgressAsync(db, batchId, now, ct));
        }
        finally
        {
            flushing.Release();
        }
    }

    public static async Task<BatchProgress> BatchProgressAsync(Db db, long batchId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var counts = (await connection.QueryAsync<(string State, long N)>(
            "SELECT state, COUNT(*) AS n FROM device_commands WHERE batch_id = @batchId GROUP BY state", new { batchId }))
            .ToDictionary(c => c.State, c => (int)c.N);
        var byState = CommandKinds.States.ToDictionary(s => s, s => counts.GetValueOrDefault(s));
        return new BatchProgress(batchId, byState.Values.Sum(), byState, now);
    }
}
