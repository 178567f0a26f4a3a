using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// The two-node tests' world: one PostgreSQL database, twenty simulated Modbus TCP gateways (three meters each, at
/// RS-485 speed) on loopback, node A set up with a site, a tenant and an account per bus, then node B started and the
/// buses split between the two. The steps of their story (trip everything, wait for the takeover, wait for every
/// confirmation) and the checks both end with live here.
/// </summary>
public sealed class TwoNodeWorld : IAsyncDisposable
{
    public const int Buses = 20, MetersPerBus = 3, Meters = Buses * MetersPerBus;

    readonly ITestOutputHelper output;
    readonly NodeProcesses processes = new();
    readonly List<ModbusTcpGatewaySimulator> gateways = [];
    readonly List<GatewayLog> logs = [];
    readonly List<long> meterIds = [];
    readonly List<long> busIds = [];
    long siteId;

    /// <summary>When the buses had split between the two nodes: the jobs are counted from an interval after it (a node
    /// that starts schedules the triggers afresh, so its start may add a run).</summary>
    DateTime bothUp;

    public PostgresTestDatabase Database { get; }
    public PlatformNode A { get; private set; } = null!;
    public PlatformNode B { get; private set; } = null!;

    TwoNodeWorld(ITestOutputHelper output, PostgresTestDatabase database)
    {
        this.output = output;
        Database = database;
    }

    static string RedisOrSkip()
    {
        var redis = Environment.GetEnvironmentVariable("PREPAID_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
            Assert.Skip("Two-node tests skipped: set PREPAID_TEST_REDIS to a Redis host:port (.ci/run starts one).");
        return redis!;
    }

    public static async Task<TwoNodeWorld> StartAsync(ITestOutputHelper output)
    {
        var redis = RedisOrSkip();
        var w = new TwoNodeWorld(output, await PostgresTestDatabase.CreateAsync());
        try
        {
            await w.SetUpAsync(redis);
            return w;
        }
        catch
        {
            await w.DisposeAsync();
            throw;
        }
    }

    async Task SetUpAsync(string redis)
    {
        for (var g = 0; g < Buses; g++)
        {
            var log = new GatewayLog(processes);
            var meters = Enumerable.Range(1, MetersPerBus).Select(u => new SimulatedElectricMeter((byte)u, $"{g:D6}{u:D6}", TimeProvider.System, LoadProfile.Constant(1000)) { RegisterStepWh = 10 });
            // 2400 baud with a turnaround of 60–250 ms: a trip and its read-back take a few tenths of a second, as on a
            // real bus, and the buses do not all finish their commands in step.
            logs.Add(log);
            gateways.Add((ModbusTcpGatewaySimulator)new ModbusTcpGatewaySimulator(new ModbusBus(meters))
                { Timing = new WireTiming(2400, 60 + 10 * g), OnAccept = log.Accept, OnRequest = log.Record }.Start());
        }
        A = await PlatformNode.StartAsync("node-a", Database.ConnectionString, redis, processes);

        using var admin = await A.AdminAsync();
        var site = new SiteBuilder(admin);
        await site.SiteAsync();
        siteId = site.SiteId;
        var tariff = await site.FlatTariffAsync();
        var tenant = await site.TenantAsync();
        // Meters and accounts first (one account per bus, well in credit: the polls bill, nothing asks for a trip of
        // its own), then the wiring, so no poll comes before an account's opening reading.
        for (var g = 0; g < Buses; g++)
            for (var u = 1; u <= MetersPerBus; u++)
                meterIds.Add(await site.MeterAsync($"E-{g:D2}-{u}"));
        for (var g = 0; g < Buses; g++)
        {
            var account = await site.AccountAsync(tenant, meterIds.Skip(g * MetersPerBus).Take(MetersPerBus).Select(m => (m, tariff, "0")), "2026-01-01T00:00:00+08:00");
            await site.TopUpAsync(account.GetProperty("id").GetInt64(), "1000.00", $"two-node-{g}");
        }
        for (var g = 0; g < Buses; g++)
        {
            var gateway = await admin.PostOkAsync("/api/gateways", new { siteId, name = $"gw-{g}", protocol = "modbusTcp", host = "127.0.0.1", port = gateways[g].Port, timeoutMs = 2000 });
            var bus = (await admin.PostOkAsync($"/api/gateways/{gateway.Id()}/buses", new { name = "bus-1", pollIntervalSeconds = 5, offlineAfter = 3 })).Id();
            busIds.Add(bus);
            for (var u = 1; u <= MetersPerBus; u++)
            {
                var meter = meterIds[g * MetersPerBus + u - 1];
                var connected = await admin.PutAsJsonAsync($"/api/meters/{meter}/connection", new { busId = bus, address = $"{u}", profile = "generic-modbus" });
                Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());
            }
        }

        B = await PlatformNode.StartAsync("node-b", Database.ConnectionString, redis, processes);
        var split = await EventuallyAsync(async () =>
        {
            var owners = await BusOwnersAsync();
            return owners.GetValueOrDefault("node-a") == Buses / 2 && owners.GetValueOrDefault("node-b") == Buses / 2;
        }, TimeSpan.FromSeconds(30));
        Assert.True(split, $"The buses did not split: {JsonSerializer.Serialize(await BusOwnersAsync())}\n{A.Output}\n{B.Output}");
        bothUp = DateTime.UtcNow;
        // A few job intervals with both nodes up before anything happens, so the jobs are seen firing once per interval
        // across the two, not only on the survivor.
        await Task.Delay(TimeSpan.FromSeconds(3.5 * PlatformNode.JobSeconds));
    }

    /// <summary>A batch trip of every meter, watched by a dashboard client on node B.</summary>
    public sealed class Batch(long id, DateTime from, HubConnection hub, ConcurrentDictionary<long, int> heard) : IAsyncDisposable
    {
        public long Id => id;

        /// <summary>When the batch was sent.</summary>
        public DateTime From => from;

        /// <summary>The confirmations the client on B heard, by command.</summary>
        public ConcurrentDictionary<long, int> Heard => heard;

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }

    /// <summary>Trips every meter (from node B, a dashboard client on B watching) and returns once 40 % are confirmed.</summary>
    public async Task<(Batch Batch, long Confirmed)> TripAllUntilUnderwayAsync()
    {
        using var admin = await B.AdminAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var heard = new ConcurrentDictionary<long, int>();
        var hub = new HubConnectionBuilder().WithUrl(new Uri(B.BaseAddress, "/hubs/dashboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
        hub.On<JsonElement>("CommandChanged", c =>
        {
            if (c.GetProperty("state").GetString() == "confirmed") heard.AddOrUpdate(long.Parse(c.GetProperty("commandId").GetString()!), 1, (_, n) => n + 1);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("WatchSite", siteId);
        var from = DateTime.UtcNow;
        var sent = await admin.PostOkAsync("/api/batches", new { meterIds, command = new { kind = "trip" } });
        var batch = new Batch(sent.GetProperty("batchId").GetInt64(), from, hub, heard);
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(batch) >= Meters * 4 / 10, TimeSpan.FromSeconds(60)), "the batch did not progress");
        return (batch, await ConfirmedAsync(batch));
    }

    /// <summary>Waits until node B holds every bus's lease; returns when it did.</summary>
    public async Task<DateTime> BOwnsEveryBusAsync()
    {
        Assert.True(await EventuallyAsync(async () => (await BusOwnersAsync()).GetValueOrDefault("node-b") == Buses, TimeSpan.FromSeconds(30)),
            $"node B did not take the buses over\n{B.Output}");
        return DateTime.UtcNow;
    }

    public async Task AllConfirmedAsync(Batch batch) =>
        Assert.True(await EventuallyAsync(async () => await ConfirmedAsync(batch) == Meters, TimeSpan.FromSeconds(90)),
            $"not every command was confirmed: {await StatesAsync(batch)}\n{B.Output}");

    /// <summary>The frames node A sent after an instant, with their gateway, and the gateways of the buses A holds now.</summary>
    public async Task<(List<(int Gateway, DateTime At, byte Function)> Frames, HashSet<int> HeldNow)> SentByAAfterAsync(DateTime instant)
    {
        var frames = logs.SelectMany((l, g) => l.Requests.Where(r => r.Node == A.Name && r.At > instant).Select(r => (g, r.At, r.Function))).ToList();
        await using var c = await Database.Db.OpenAsync();
        var held = (await c.QueryAsync<string>("SELECT resource FROM leases WHERE owner = 'node-a' AND resource LIKE 'bus:%'"))
            .Select(r => busIds.IndexOf(long.Parse(r[4..]))).ToHashSet();
        return (frames, held);
    }

    async Task<Dictionary<string, long>> BusOwnersAsync()
    {
        await using var c = await Database.Db.OpenAsync();
        return (await c.QueryAsync<(string Owner, long N)>(
            "SELECT owner, COUNT(*) AS n FROM leases WHERE resource LIKE 'bus:%' AND owner IS NOT NULL AND expires_at_ms >= @now GROUP BY owner",
            new { now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() })).ToDictionary(r => r.Owner, r => r.N);
    }

    async Task<string> StatesAsync(Batch batch)
    {
        await using var c = await Database.Db.OpenAsync();
        var rows = await c.QueryAsync<(string State, long Attempts, long Next, string? Error)>(
            "SELECT state, attempts, next_attempt_at_ms, error FROM device_commands WHERE batch_id = @Id AND state <> 'confirmed'", new { batch.Id });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return string.Join("; ", rows.Select(r => $"{r.State} after {r.Attempts}, due in {(r.Next - now) / 1000.0:F1} s: {r.Error}"));
    }

    async Task<long> ConfirmedAsync(Batch batch)
    {
        await using var c = await Database.Db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_commands WHERE batch_id = @Id AND state = 'confirmed'", new { batch.Id });
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

    /// <summary>
    /// What holds whichever node died or stalled: every command confirmed once; every request on the wire attributed
    /// to a node, and each gateway hearing one node at a time up to <paramref name="to"/>; every confirmation heard
    /// exactly once on B; the payment and notification jobs once per interval across both nodes (node A was killed or paused at
    /// <paramref name="disrupted"/>); the ledger whole.
    /// </summary>
    public async Task AssertOnceEachAsync(Batch batch, DateTime disrupted, DateTime to)
    {
        await using var c = await Database.Db.OpenAsync();
        var rows = (await c.QueryAsync<(long MeterId, long N, long Confirmed)>(
            "SELECT meter_id, COUNT(*) AS n, SUM(CASE WHEN state = 'confirmed' THEN 1 ELSE 0 END) AS confirmed FROM device_commands WHERE batch_id = @Id GROUP BY meter_id",
            new { batch.Id })).ToList();
        Assert.Equal(Meters, rows.Count);
        Assert.All(rows, r => Assert.Equal((1L, 1L), (r.N, r.Confirmed)));
        Assert.All(gateways, g => Assert.True(g.RequestCount > 0));
        var doubleReadings = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM (SELECT meter_id, at_ms FROM readings GROUP BY meter_id, at_ms HAVING COUNT(*) > 1) d");
        Assert.Equal(0, doubleReadings);

        // Every request on the wire is some node's, or "one node at a time" below would count only part of them.
        var all = logs.SelectMany(l => l.Requests).ToList();
        var unattributed = all.Where(r => r.Node is null).ToList();
        var connections = all.Select(r => r.Connection).Distinct().Count();
        output.WriteLine($"attribution: {all.Count - unattributed.Count} of {all.Count} requests ({100.0 * (all.Count - unattributed.Count) / all.Count:F1} %) " +
                         $"on {connections} connections, by node: {string.Join(", ", all.GroupBy(r => r.Node ?? "none").Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.True(unattributed.Count == 0, $"{unattributed.Count} of {all.Count} requests unattributed: " +
            string.Join("; ", unattributed.Select(r => r.Connection).Distinct().Take(5).Select(u => $"port {u.ClientPort}: {u.Unattributed}")));

        // One node at a time per gateway: once another node has spoken to it, the earlier one never speaks again.
        foreach (var (log, g) in logs.Select((l, i) => (l, i)))
        {
            var runs = new List<string>();
            foreach (var r in log.Requests.Where(r => r.At <= to)) if (runs.Count == 0 || runs[^1] != r.Node) runs.Add(r.Node!);
            Assert.True(runs.Count == runs.Distinct().Count(), $"gateway {g} heard the nodes interleaved: {string.Join(" → ", runs)}");
        }

        // Every confirmation reached the client on B exactly once, whichever node confirmed it and whether it died or
        // stalled right after its commit: the event is a row committed with the state, and B sends the rows to its own
        // clients (Dashboard/CommandEventFollower).
        var ids = (await c.QueryAsync<(long Id, long At)>("SELECT id, updated_at_ms FROM device_commands WHERE batch_id = @Id", new { batch.Id }))
            .ToLookup(r => DateTimeOffset.FromUnixTimeMilliseconds(r.At).UtcDateTime > disrupted, r => r.Id);
        var commands = ids.SelectMany(g => g).ToList();
        Assert.True(await EventuallyAsync(() => Task.FromResult(commands.All(batch.Heard.ContainsKey)), TimeSpan.FromSeconds(10)),
            $"heard {ids[false].Count(batch.Heard.ContainsKey)} of the {ids[false].Count()} confirmations before the disruption, " +
            $"{ids[true].Count(batch.Heard.ContainsKey)} of the {ids[true].Count()} after it");
        await Task.Delay(500);
        Assert.All(commands, id => Assert.Equal(1, batch.Heard[id]));
        Assert.Equal(commands.Count, batch.Heard.Count);
        output.WriteLine($"dashboard client on B: heard each of the {commands.Count} confirmations once ({ids[false].Count()} before the disruption, " +
                         $"{ids[true].Count()} after it)");

        // Quartz's clustered store fires each job on one node per interval, whichever nodes are alive.
        await AssertOncePerIntervalAsync(c, "payments-pending", bothUp.AddSeconds(PlatformNode.JobSeconds), to, disrupted);
        await AssertOncePerIntervalAsync(c, "notifications", bothUp.AddSeconds(PlatformNode.JobSeconds), to, disrupted);

        var (code, text) = await PlatformNode.CheckLedgerAsync(Database.ConnectionString);
        Assert.True(code == 0, text);
    }

    async Task AssertOncePerIntervalAsync(System.Data.Common.DbConnection c, string job, DateTime from, DateTime to, DateTime disrupted)
    {
        var fired = (await c.QueryAsync<(long FiredTime, string Instance)>(
            "SELECT fired_time, instance_name FROM qrtz_execution_history WHERE job_name = @job ORDER BY fired_time", new { job }))
            // Quartz keeps instants as .NET ticks (UTC).
            .Select(f => (At: new DateTime(f.FiredTime, DateTimeKind.Utc), f.Instance)).Where(f => f.At >= from && f.At <= to).ToList();
        var expected = (to - from).TotalSeconds / PlatformNode.JobSeconds;
        output.WriteLine($"{job} job: {fired.Count} runs in {(to - from).TotalSeconds:F0} s (about {expected:F0} expected, every {PlatformNode.JobSeconds} s); " +
                         $"by {string.Join(", ", fired.GroupBy(f => f.Instance).Select(g => $"{g.Key} {g.Count()}"))}; " +
                         $"runs: {string.Join(" ", fired.Select(f => $"+{(f.At - from).TotalSeconds:F1} {f.Instance}"))}");
        // A trigger the lost node had acquired is recovered by the other once the lost node misses its check-in, and fires
        // late, just before the next on-time run: one catch-up, on one node, after the disruption. Two runs close
        // together on two nodes would be the same firing twice.
        var close = fired.Zip(fired.Skip(1)).Where(p => (p.Second.At - p.First.At).TotalSeconds <= PlatformNode.JobSeconds / 2.0).ToList();
        Assert.All(close, p => Assert.True(p.First.Instance == p.Second.Instance && p.First.At >= disrupted,
            $"the {job} job ran twice within {(p.Second.At - p.First.At).TotalSeconds:F1} s ({p.First.Instance} at +{(p.First.At - from).TotalSeconds:F1}, " +
            $"then {p.Second.Instance}; the disruption at +{(disrupted - from).TotalSeconds:F1})"));
        Assert.True(close.Count <= 1, $"the {job} job caught up {close.Count} times");
        Assert.InRange(fired.Count - close.Count, Math.Floor(expected) - 1, Math.Ceiling(expected) + 1);
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        foreach (var g in gateways) await g.DisposeAsync();
        await Database.DisposeAsync();
    }
}
