using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// Two platform processes on one PostgreSQL database and one Redis, twenty simulated Modbus TCP gateways (three meters
/// each, at RS-485 speed) on loopback. The buses split between the nodes by lease; a batch trip of all sixty meters runs;
/// one node dies (SIGKILL) or stalls (SIGSTOP past its lease, then SIGCONT) part-way through. Every command ends confirmed
/// once, each gateway hears one node at a time, the stalled node sends nothing once its buses are taken over, the
/// payment job fires once per interval across both nodes, and a dashboard client on the surviving node sees each
/// confirmation exactly once (through the Redis backplane for those confirmed by the other node).
/// </summary>
[Collection(nameof(TwoNodeCollection))]
public class TwoNodeFailoverTests(ITestOutputHelper output)
{
    const int Buses = 20, MetersPerBus = 3, Meters = Buses * MetersPerBus;

    sealed class World : IAsyncDisposable
    {
        public required PostgresTestDatabase Database;
        public required List<ModbusTcpGatewaySimulator> Gateways;
        public required List<GatewayLog> Logs;
        public required List<long> MeterIds;
        public required long SiteId;
        public PlatformNode A = null!, B = null!;

        public async ValueTask DisposeAsync()
        {
            if (A is not null) await A.DisposeAsync();
            if (B is not null) await B.DisposeAsync();
            foreach (var g in Gateways) await g.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    static string RedisOrSkip()
    {
        var redis = Environment.GetEnvironmentVariable("PREPAID_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
            Assert.Skip("Two-node tests skipped: set PREPAID_TEST_REDIS to a Redis host:port (.ci/run starts one).");
        return redis!;
    }

    async Task<World> StartAsync()
    {
        var redis = RedisOrSkip();
        var database = await PostgresTestDatabase.CreateAsync();
        var logs = Enumerable.Range(0, Buses).Select(_ => new GatewayLog()).ToList();
        var gateways = logs.Select((log, g) =>
        {
            var meters = Enumerable.Range(1, MetersPerBus).Select(u => new SimulatedElectricMeter((byte)u, $"{g:D6}{u:D6}", TimeProvider.System, LoadProfile.Constant(1000)) { RegisterStepWh = 10 });
            // 2400 baud with a turnaround of 60–250 ms: a trip and its read-back take a few tenths of a second, as on a
            // real bus, and the buses do not all finish their commands in step.
            return (ModbusTcpGatewaySimulator)new ModbusTcpGatewaySimulator(new ModbusBus(meters)) { Timing = new WireTiming(2400, 60 + 10 * g), OnRequest = log.Record }.Start();
        }).ToList();
        foreach (var (log, gateway) in logs.Zip(gateways)) log.GatewayPort = gateway.Port;
        var world = new World { Database = database, Gateways = gateways, Logs = logs, MeterIds = [], SiteId = 0 };
        world.A = await PlatformNode.StartAsync("node-a", database.ConnectionString, redis);
        foreach (var l in logs) l.Pids = [world.A.Pid];

        using var admin = await world.A.AdminAsync();
        var site = new SiteBuilder(admin);
        await site.SiteAsync();
        world.SiteId = site.SiteId;
        var tariff = await site.FlatTariffAsync();
        var tenant = await site.TenantAsync();
        // Meters and accounts first (one account per bus, well in credit: the polls bill, nothing asks for a trip of
        // its own), then the wiring, so no poll comes before an account's opening reading.
        for (var g = 0; g < Buses; g++)
            for (var u = 1; u <= MetersPerBus; u++)
                world.MeterIds.Add(await site.MeterAsync($"E-{g:D2}-{u}"));
        for (var g = 0; g < Buses; g++)
        {
            var account = await site.AccountAsync(tenant, world.MeterIds.Skip(g * MetersPerBus).Take(MetersPerBus).Select(m => (m, tariff, "0")), "2026-01-01T00:00:00+08:00");
            await site.TopUpAsync(account.GetProperty("id").GetInt64(), "1000.00", $"two-node-{g}");
        }
        for (var g = 0; g < Buses; g++)
        {
            var gateway = await admin.PostOkAsync("/api/gateways", new { siteId = site.SiteId, name = $"gw-{g}", protocol = "modbusTcp", host = "127.0.0.1", port = gateways[g].Port, timeoutMs = 2000 });
            var bus = (await admin.PostOkAsync($"/api/gateways/{gateway.Id()}/buses", new { name = "bus-1", pollIntervalSeconds = 5, offlineAfter = 3 })).Id();
            for (var u = 1; u <= MetersPerBus; u++)
            {
                var meter = world.MeterIds[g * MetersPerBus + u - 1];
                var connected = await admin.PutAsJsonAsync($"/api/meters/{meter}/connection", new { busId = bus, address = $"{u}", profile = "generic-modbus" });
                Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
            }
        }

        world.B = await PlatformNode.StartAsync("node-b", database.ConnectionString, redis);
        foreach (var l in logs) l.Pids = [world.A.Pid, world.B.Pid];
        var split = await EventuallyAsync(async () =>
        {
            var owners = await BusOwnersAsync(database);
            return owners.GetValueOrDefault("node-a") == Buses / 2 && owners.GetValueOrDefault("node-b") == Buses / 2;
        }, TimeSpan.FromSeconds(30));
        Assert.True(split, $"The buses did not split: {JsonSerializer.Serialize(await BusOwnersAsync(database))}\n{world.A.Output}\n{world.B.Output}");
        return world;
    }

    static async Task<Dictionary<string, long>> BusOwnersAsync(PostgresTestDatabase database)
    {
        await using var c = await database.Db.OpenAsync();
        return (await c.QueryAsync<(string Owner, long N)>(
            "SELECT owner, COUNT(*) AS n FROM leases WHERE resource LIKE 'bus:%' AND owner IS NOT NULL AND expires_at_ms >= @now GROUP BY owner",
            new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() })).ToDictionary(r => r.Owner, r => r.N);
    }

    static async Task<string> StatesAsync(PostgresTestDatabase database, long batchId)
    {
        await using var c = await database.Db.OpenAsync();
        var rows = await c.QueryAsync<(string State, long Attempts, long Next, string? Error)>(
            "SELECT state, attempts, next_attempt_at_ms, error FROM device_commands WHERE batch_id = @batchId AND state <> 'confirmed'", new { batchId });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return string.Join("; ", rows.Select(r => $"{r.State} after {r.Attempts}, due in {(r.Next - now) / 1000.0:F1} s: {r.Error}"));
    }

    static async Task<long> ConfirmedAsync(PostgresTestDatabase database, long batchId)
    {
        await using var c = await database.Db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_commands WHERE batch_id = @batchId AND state = 'confirmed'", new { batchId });
    }

    static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    /// <summary>A dashboard client on node B, watching the site; returns the confirmations it hears, by command.</summary>
    static async Task<(HubConnection Hub, ConcurrentDictionary<long, int> Confirmed)> WatchAsync(PlatformNode node, long siteId)
    {
        using var admin = await node.AdminAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var confirmed = new ConcurrentDictionary<long, int>();
        var hub = new HubConnectionBuilder().WithUrl(new Uri(node.BaseAddress, "/hubs/dashboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
        hub.On<JsonElement>("CommandChanged", c =>
        {
            if (c.GetProperty("state").GetString() == "confirmed") confirmed.AddOrUpdate(long.Parse(c.GetProperty("commandId").GetString()!), 1, (_, n) => n + 1);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("WatchSite", siteId);
        return (hub, confirmed);
    }

    async Task<long> TripAllAsync(World w)
    {
        using var admin = await w.B.AdminAsync();
        var batch = await admin.PostOkAsync("/api/batches", new { meterIds = w.MeterIds, command = new { kind = "trip" } });
        return batch.GetProperty("batchId").GetInt64();
    }

    async Task AssertCommonAsync(World w, long batchId, ConcurrentDictionary<long, int> heard, DateTime from, DateTime to)
    {
        await using var c = await w.Database.Db.OpenAsync();
        var rows = (await c.QueryAsync<(long MeterId, long N, long Confirmed)>(
            "SELECT meter_id, COUNT(*) AS n, SUM(CASE WHEN state = 'confirmed' THEN 1 ELSE 0 END) AS confirmed FROM device_commands WHERE batch_id = @batchId GROUP BY meter_id",
            new { batchId })).ToList();
        Assert.Equal(Meters, rows.Count);
        Assert.All(rows, r => Assert.Equal((1L, 1L), (r.N, r.Confirmed)));
        Assert.All(w.Gateways, g => Assert.True(g.RequestCount > 0));
        var doubleReadings = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT meter_id, at_ms FROM readings GROUP BY meter_id, at_ms HAVING COUNT(*) > 1) d");
        Assert.Equal(0, doubleReadings);

        // One node at a time per gateway: once another node has spoken to it, the earlier one never speaks again.
        foreach (var (log, g) in w.Logs.Select((l, i) => (l, i)))
        {
            // Each node's process in one run:
            // once another has spoken to the gateway, the earlier one never speaks again.
            var clients = new List<string>();
            // Only requests /proc attributed to a process count: an unattributed connection may be either node's.
            foreach (var r in log.Requests.Where(r => r.At <= to && r.Pid != 0)) if (clients.Count == 0 || clients[^1] != r.Client) clients.Add(r.Client);
            var runs = clients;
            Assert.True(runs.Count == runs.Distinct().Count(), $"gateway {g} heard the nodes interleaved: {string.Join(" → ", runs)}");
        }

        // Every confirmation reached the client on B exactly once, whichever node confirmed it.
        var ids = (await c.QueryAsync<long>("SELECT id FROM device_commands WHERE batch_id = @batchId", new { batchId })).ToList();
        Assert.True(await EventuallyAsync(() => Task.FromResult(ids.All(heard.ContainsKey)), TimeSpan.FromSeconds(10)),
            $"heard {heard.Count} of {ids.Count} confirmations");
        await Task.Delay(500);
        Assert.All(ids, id => Assert.Equal(1, heard[id]));

        // The payment job (every 5 s) ran once per interval across both nodes.
        var fired = (await c.QueryAsync<(long FiredTime, string Instance)>(
            "SELECT fired_time, instance_name FROM qrtz_execution_history WHERE job_name = 'payments-pending' ORDER BY fired_time")).ToList();
        // Quartz keeps instants as .NET ticks (UTC).
        var window = fired.Select(f => new DateTime(f.FiredTime, DateTimeKind.Utc)).Where(t => t >= from && t <= to).Select(t => (t - from).TotalSeconds).ToList();
        var expected = (to - from).TotalSeconds / 5;
        output.WriteLine($"payment job: {window.Count} runs in {(to - from).TotalSeconds:F0} s (about {expected:F0} expected), by {string.Join(", ", fired.Select(f => f.Instance).Distinct())}");
        Assert.InRange(window.Count, Math.Floor(expected) - 1, Math.Ceiling(expected) + 1);
        Assert.All(window.Zip(window.Skip(1)), p => Assert.True(p.Second - p.First > 2.5, $"the payment job ran twice within {p.Second - p.First:F1} s"));

        var (code, text) = await PlatformNode.CheckLedgerAsync(w.Database.ConnectionString);
        Assert.True(code == 0, text);
    }

    [Fact]
    public async Task TwoNode_KilledNodesBusesTakenOver_EveryCommandConfirmedOnce()
    {
        await using var w = await StartAsync();
        var (hub, heard) = await WatchAsync(w.B, w.SiteId);
        await using var _ = hub;
        var from = DateTime.UtcNow;
        var batchId = await TripAllAsync(w);
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(w.Database, batchId) >= Meters * 4 / 10, TimeSpan.FromSeconds(60)), "the batch did not progress");
        var confirmedAtKill = await ConfirmedAsync(w.Database, batchId);
        var killed = Stopwatch.StartNew();
        w.A.Kill();
        Assert.True(await EventuallyAsync(async () => (await BusOwnersAsync(w.Database)).GetValueOrDefault("node-b") == Buses, TimeSpan.FromSeconds(30)),
            $"node B did not take the buses over\n{w.B.Output}");
        var takeover = killed.Elapsed;
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(w.Database, batchId) == Meters, TimeSpan.FromSeconds(90)),
            $"not every command was confirmed: {await StatesAsync(w.Database, batchId)}\n{w.B.Output}");
        var done = killed.Elapsed;
        output.WriteLine($"{Meters} commands on {Buses} buses; SIGKILL of node A at {confirmedAtKill} confirmed ({100.0 * confirmedAtKill / Meters:F0} %); " +
                         $"node B owned every bus {takeover.TotalSeconds:F1} s later; all confirmed {done.TotalSeconds:F1} s after the kill");
        await AssertCommonAsync(w, batchId, heard, from.AddSeconds(5), DateTime.UtcNow);
    }

    [Fact]
    public async Task TwoNode_PausedPastItsLease_SendsNothingAfterTakeover()
    {
        await using var w = await StartAsync();
        var (hub, heard) = await WatchAsync(w.B, w.SiteId);
        await using var _ = hub;
        var from = DateTime.UtcNow;
        var batchId = await TripAllAsync(w);
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(w.Database, batchId) >= Meters * 4 / 10, TimeSpan.FromSeconds(60)), "the batch did not progress");
        var confirmedAtPause = await ConfirmedAsync(w.Database, batchId);
        var paused = Stopwatch.StartNew();
        w.A.Pause();
        Assert.True(await EventuallyAsync(async () => (await BusOwnersAsync(w.Database)).GetValueOrDefault("node-b") == Buses, TimeSpan.FromSeconds(30)),
            $"node B did not take the buses over\n{w.B.Output}");
        var takeover = DateTime.UtcNow;
        var takeoverAfter = paused.Elapsed;
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(w.Database, batchId) == Meters, TimeSpan.FromSeconds(90)),
            $"not every command was confirmed: {await StatesAsync(w.Database, batchId)}\n{w.B.Output}");
        w.A.Resume();
        // Long enough for A to run on from where it stopped, renew, find its buses gone and settle its share again.
        await Task.Delay(TimeSpan.FromSeconds(PlatformNode.LeaseSeconds * 3));
        var writesAfter = w.Logs.SelectMany(l => l.Requests).Where(r => r.Pid == w.A.Pid && r.At > takeover && GatewayLog.IsWrite(r.Function)).ToList();
        output.WriteLine($"{Meters} commands on {Buses} buses; SIGSTOP of node A at {confirmedAtPause} confirmed ({100.0 * confirmedAtPause / Meters:F0} %); " +
                         $"node B owned every bus {takeoverAfter.TotalSeconds:F1} s later; node A resumed after all were confirmed and wrote {writesAfter.Count} frames after the takeover");
        Assert.Empty(writesAfter);
        await AssertCommonAsync(w, batchId, heard, from.AddSeconds(5), takeover);
    }
}

/// <summary>The two-node tests start four platform processes between them: never two at once on a two-core machine.</summary>
[CollectionDefinition(nameof(TwoNodeCollection), DisableParallelization = true)]
public sealed class TwoNodeCollection;
