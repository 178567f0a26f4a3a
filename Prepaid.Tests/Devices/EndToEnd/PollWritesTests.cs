using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Api.Readings;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Simulator;
using Prepaid.Devices.Transport;
using Prepaid.Engine;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>The poller's group commit: what lanes hand over together is written together, one bad part fails alone, and
/// a lane's answers are written while it still reads the rest of its bus.</summary>
public class PollWritesTests
{
    [Fact]
    public async Task FirstMetersAnswer_IsStoredBeforeTheBusHasBeenReadToTheEnd_R9()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var site = await new SiteBuilder(client).SiteAsync();
        var meters = Enumerable.Range(1, 3)
            .Select(u => new SimulatedElectricMeter((byte)u, $"00000000000{u}", app.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 }).ToList();
        var db = app.Get<Db>();
        long first = 0;
        bool? storedBeforeLast = null;
        // The gateway holds its answer to the bus's last meter until the first meter's reading is in the database (or
        // 5 s pass): a poller that writes a bus only once it has read all of it never stores it in that time.
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(meters))
        {
            OnRequest = (_, _, request) =>
            {
                if (request[6] != 3) return;
                var waited = System.Diagnostics.Stopwatch.StartNew();
                using var connection = db.OpenAsync().GetAwaiter().GetResult();
                while (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM readings WHERE meter_id = @first", new { first }) == 0 && waited.Elapsed < TimeSpan.FromSeconds(5))
                    Thread.Sleep(10);
                storedBeforeLast = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM readings WHERE meter_id = @first", new { first }) == 1;
            },
        }.Start();
        var busId = await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port, timeoutMs: 10_000);
        long[] ids = [await site.MeterAsync("E-1"), await site.MeterAsync("E-2"), await site.MeterAsync("E-3")];
        first = ids[0];
        for (var u = 0; u < 3; u++) await DeviceApp.ConnectAsync(client, ids[u], busId, $"{u + 1}", "generic-modbus");

        await app.Poller.SweepAllAsync(ct);

        Assert.True(storedBeforeLast);
        await using var read = await db.OpenAsync(ct);
        Assert.Equal(3, await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings"));
        Assert.Equal(3, await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1 AND missed_polls = 0"));
    }

    [Fact]
    public async Task LanesWrittenTogether_OneLaneWithAnUnknownMeterFailsAlone_TheOthersAreStored_R9()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var first = await site.MeterAsync("E-1");
        var second = await site.MeterAsync("E-2");
        var db = app.Get<Db>();
        var writes = new PollWrites(app.Get<MeterStatusWriter>(), app.Get<ReadingIngestor>(), app.Time);
        var at = app.Time.GetUtcNow();

        // Hold the write gate so the first lane's write waits and the next two queue behind it and are joined.
        await db.WriteGate.WaitAsync(TestContext.Current.CancellationToken);
        var blocking = writes.WriteAsync(Lane(first, at, 1000));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var bad = writes.WriteAsync(Lane(999_999, at, 1000, outcomes: false));
        var good = writes.WriteAsync(Lane(second, at, 2000));
        db.WriteGate.Release();

        await blocking;
        await Assert.ThrowsAsync<ArgumentException>(() => bad);
        await good;
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        var stored = (await connection.QueryAsync<(long MeterId, long TotalMilli)>("SELECT meter_id, total_milli FROM readings ORDER BY meter_id")).ToList();
        Assert.Equal([(first, 1_000_000L), (second, 2_000_000L)], stored);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1"));
    }

    [Fact]
    public async Task AnswersBeforeALanesLast_AreGatheredIntoOneWrite_TheLastOrAFlushWritesThemAtOnce_R9()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        long[] ids = [await site.MeterAsync("E-1"), await site.MeterAsync("E-2"), await site.MeterAsync("E-3"), await site.MeterAsync("E-4")];
        var db = app.Get<Db>();
        // A gather no test outlasts: only a last answer or a flush can start the second and third writes.
        var writes = new PollWrites(app.Get<MeterStatusWriter>(), app.Get<ReadingIngestor>(), app.Time) { Gather = TimeSpan.FromHours(1) };
        var at = app.Time.GetUtcNow();

        await writes.WriteAsync(Lane(ids[0], at, 1000), last: false); // nothing written yet: the first write starts at once
        var second = writes.WriteAsync(Lane(ids[1], at, 2000), last: false);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var heldBack = !second.IsCompleted;
        var third = writes.WriteAsync(Lane(ids[2], at, 3000), last: true);
        await Task.WhenAll(second, third);
        var afterLast = writes.Count;
        var fourth = writes.WriteAsync(Lane(ids[3], at, 4000), last: false);
        writes.Flush();
        await fourth;

        Assert.True(heldBack);
        Assert.Equal(2, afterLast); // the second and third answers in one joined write
        Assert.Equal(3, writes.Count);
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings"));
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1"));
    }

    [Fact]
    public async Task ASweepAfterASweep_StartsEveryIngestFromTheStateTheLastLeft_TheBusStampIncluded()
    {
        // The poller alone over a database (no web host: its background readers would borrow the ingestor's connection).
        await using var database = await SqliteTestDatabase.CreateAsync();
        var db = database.Db;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var ct = TestContext.Current.CancellationToken;
        var simulated = Enumerable.Range(1, 2)
            .Select(u => new SimulatedElectricMeter((byte)u, $"00000000000{u}", time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 }).ToList();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(simulated)).Start();
        long busId;
        await using (var connection = await db.OpenAsync(ct))
        {
            var siteId = await connection.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('S', 'Asia/Shanghai', 0) RETURNING id");
            var gatewayId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO gateways (site_id, name, protocol, host, port, timeout_ms, created_at_ms) VALUES (@siteId, 'gw', 'modbusTcp', '127.0.0.1', @port, 2000, 0) RETURNING id",
                new { siteId, port = gateway.Port });
            busId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO buses (gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms) VALUES (@gatewayId, 'bus-1', 9600, 60000, 3, 0) RETURNING id",
                new { gatewayId });
            for (var u = 1; u <= 2; u++)
            {
                var meterId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, created_at_ms)
                    VALUES (@siteId, @serial, 'electricity', '1', '1000000', '60', '0.01', 'closed', 0) RETURNING id
                    """, new { siteId, serial = $"E-{u}" });
                await connection.ExecuteAsync(
                    "INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, updated_at_ms) VALUES (@meterId, @gatewayId, @busId, @address, 'generic-modbus', 0)",
                    new { meterId, gatewayId, busId, address = $"{u}" });
            }
        }
        var events = new DeviceEventBus(Microsoft.Extensions.Logging.Abstractions.NullLogger<DeviceEventBus>.Instance);
        var ingestor = new ReadingIngestor(db, time, new Prepaid.Api.Outbox.PostingEventBus());
        var leases = new Prepaid.Api.Cluster.NodeLeases(db, new Prepaid.Api.Cluster.ClusterOptions(), time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Prepaid.Api.Cluster.NodeLeases>.Instance);
        await using var links = new BusLinks();
        var poller = new BusPoller(db, links, ingestor, new MeterStatusWriter(db, events, time), leases, time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<BusPoller>.Instance);
        await poller.SweepAllAsync(ct);
        time.Advance(TimeSpan.FromMinutes(1));
        var (kept, writes) = (ingestor.BatchesOnKeptState, poller.Writes);

        await poller.SweepAllAsync(ct);

        // The stamp of the bus's poll and every joined write: none loads the meters again, as nothing else wrote.
        Assert.True(poller.Writes > writes);
        Assert.Equal(1 + poller.Writes - writes, ingestor.BatchesOnKeptState - kept);
        await using var read = await db.OpenAsync(ct);
        Assert.Equal(4, await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings"));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), await read.ExecuteScalarAsync<long>("SELECT last_polled_at_ms FROM buses WHERE id = @busId", new { busId }));
    }

    static LaneResult Lane(long meterId, DateTimeOffset at, decimal total, bool outcomes = true)
    {
        var meter = new ConnectedMeter(meterId, 1, 1, "1", "generic-modbus", "0.01");
        var snapshot = new MeterSnapshot((long)(total * 1000), null, null);
        return new LaneResult(outcomes ? [new PollOutcome(meter, DeviceResult<MeterSnapshot>.Ok(snapshot))] : [], 3,
            [new ReadingInput(meterId, at, new Registers(total))]);
    }
}
