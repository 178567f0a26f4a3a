using System.Collections.Concurrent;
using Dapper;
using Prepaid.Api.Cluster;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;
using Prepaid.Engine;

namespace Prepaid.Api.Devices;

/// <summary>
/// Reads every bus on its own interval: one lane per bus (meters one after another, as RS-485 demands), all lanes in
/// parallel. A lane's readings go to the ingest path, its answers and silences to the meter status, each as soon as it
/// is read; whatever all lanes read during one write is written together (<see cref="PollWrites"/>).
/// </summary>
public sealed class BusPoller(Db db, BusLinks links, ReadingIngestor ingestor, MeterStatusWriter status, NodeLeases leases, TimeProvider time, ILogger<BusPoller> log)
{
    readonly ConcurrentDictionary<long, Task> lanes = new();
    readonly PollWrites writes = new(status, ingestor, time);

    /// <summary>Times the lanes' writes when set (the benchmark's profile): the meter status, beside the ingest's own steps.</summary>
    public IngestPhases? Phases { get => writes.Phases; init => writes.Phases = value; }

    /// <summary>Joined writes of the lanes' answers so far.</summary>
    public long Writes => writes.Count;

    /// <summary>Starts a lane for every bus whose interval has passed and that is not being polled already; returns at once.</summary>
    public async Task<int> StartDueAsync(CancellationToken ct)
    {
        List<BusPlan> buses;
        await using (var connection = await db.OpenAsync(ct))
            buses = await DeviceDirectory.BusesAsync(connection);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var started = 0;
        // Only the buses this node leases (all of them with one node).
        foreach (var bus in buses.Where(b => (b.LastPolledAtMs is null || b.LastPolledAtMs + b.PollIntervalMs <= nowMs) && leases.Owns(NodeLeases.Bus(b.BusId))))
        {
            if (lanes.ContainsKey(bus.BusId)) continue;
            var lane = Task.Run(() => SweepBusAsync(bus, CancellationToken.None));
            if (lanes.TryAdd(bus.BusId, lane))
            {
                started++;
                _ = lane.ContinueWith(_ => lanes.TryRemove(bus.BusId, out Task? _), TaskScheduler.Default);
            }
        }
        return started;
    }

    /// <summary>Sweeps every bus once, all in parallel, and waits for them: the tests' and the benchmark's entry.</summary>
    public async Task SweepAllAsync(CancellationToken ct = default)
    {
        List<BusPlan> buses;
        ILookup<long?, ConnectedMeter> meters;
        await using (var connection = await db.OpenAsync(ct))
        {
            buses = await DeviceDirectory.BusesAsync(connection);
            meters = (await DeviceDirectory.MetersOnBusesAsync(connection)).ToLookup(m => m.BusId);
        }
        await StampAsync([.. buses.Select(b => b.BusId)], ct);
        await Task.WhenAll(buses.Select(b => Task.Run(() => PollLaneAsync(b, [.. meters[b.BusId]], ct), ct)));
    }

    public async Task SweepBusAsync(BusPlan bus, CancellationToken ct)
    {
        List<ConnectedMeter> meters;
        try
        {
            await using (var connection = await db.OpenAsync(ct))
                meters = await DeviceDirectory.MetersOnBusAsync(connection, bus.BusId);
            // Stamp the start, so a slow sweep does not make the next one start late.
            await StampAsync([bus.BusId], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Polling bus {BusId} failed.", bus.BusId);
            return;
        }
        await PollLaneAsync(bus, meters, ct);
    }

    /// <summary>
    /// The buses' last poll. On SQLite it is written in a transaction of the ingestor's own with no readings: a write on
    /// another connection would cost the sweep's first joined write a full load of its meters' billing state (the ingest
    /// keeps it only while nothing else writes), and a bus's poll time is none of that state. Elsewhere the ingest keeps
    /// no state, and a plain statement spares the stamp the ledger lock.
    /// </summary>
    async Task StampAsync(long[] busIds, CancellationToken ct)
    {
        var sql = $"UPDATE buses SET last_polled_at_ms = @nowMs WHERE id IN {db.Dialect.IdsFromJson("@ids")}";
        object values = new { nowMs = time.GetUtcNow().ToUnixTimeMilliseconds(), ids = System.Text.Json.JsonSerializer.Serialize(busIds) };
        if (db.Dialect is SqliteDialect)
        {
            await ingestor.IngestAsync([], (connection, tx, ct) => connection.ExecuteAsync(new CommandDefinition(sql, values, tx, cancellationToken: ct)), ct);
            return;
        }
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, values, cancellationToken: ct));
    }

    async Task PollLaneAsync(BusPlan bus, List<ConnectedMeter> meters, CancellationToken ct)
    {
        try
        {
            if (meters.Count == 0) return;
            var link = links.For(bus.BusId, bus.Endpoint(time.GetUtcNow()));
            var lease = NodeLeases.Bus(bus.BusId);
            // Each answer goes to the group commit as soon as it is read, so the writes run while the wire works and a
            // sweep ends one write after its last read instead of one write of every meter after it.
            var written = new Task[meters.Count];
            var read = 0;
            try
            {
                foreach (var meter in meters)
                {
                    if (!leases.Owns(lease)) break; // lost the bus mid-sweep: its new owner polls it
                    var result = await link.ReadAsync(meter.Target, ct);
                    if (result.Status == DeviceResultStatus.NotSent) break; // the lease lapsed while the read waited its turn: no outcome, nothing asked
                    ReadingInput[] reading = result.IsOk ? [new ReadingInput(meter.MeterId, time.GetUtcNow(), ToRegisters(meter, result.Value!), PowerW: result.Value!.PowerW)] : [];
                    written[read] = writes.WriteAsync(new LaneResult([new PollOutcome(meter, result)], bus.OfflineAfter, reading), last: read == meters.Count - 1);
                    read++;
                }
            }
            finally
            {
                // A lane that stopped short handed over no last answer: what it read is written now, not after the gather.
                if (read < meters.Count) writes.Flush();
            }
            await Task.WhenAll(written.AsSpan(0, read));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bus that fails (bad configuration, database busy) must not stop the others; the next interval retries.
            log.LogWarning(e, "Polling bus {BusId} failed.", bus.BusId);
        }
    }

    /// <summary>
    /// The meter's registers in billing units, as the meter reported them. Whether its period registers agree with its
    /// total is the engine's judgement (R11): their deltas within one resolution step bill by period, beyond it the
    /// reading is held as suspect.
    /// </summary>
    public static Registers ToRegisters(ConnectedMeter meter, MeterSnapshot s)
    {
        var total = s.TotalMilli / 1000m;
        if (s.PeriodsMilli is not { Length: 4 } p) return new Registers(total);
        return new Registers(total, p[0] / 1000m, p[1] / 1000m, p[2] / 1000m, p[3] / 1000m);
    }
}
