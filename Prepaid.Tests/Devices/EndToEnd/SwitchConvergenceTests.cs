using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Prepaid.Api.Devices;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>
/// R16a end to end: simulated meters behind Modbus TCP gateways on loopback, the real dispatcher and the real
/// reconciliation pass, time on the test's fake clock. A gateway that is switched off is a meter that does not answer.
/// </summary>
public class SwitchConvergenceTests
{
    sealed class Shop(SimulatedElectricMeter meter, long meterId, LoopbackServer gateway)
    {
        public SimulatedElectricMeter Meter { get; } = meter;
        public long MeterId { get; } = meterId;
        public int Port { get; } = gateway.Port;
        public LoopbackServer? Gateway { get; set; } = gateway;
    }

    sealed class Rig(DeviceApp app) : IAsyncDisposable
    {
        public DeviceApp App => app;
        public HttpClient Client { get; set; } = null!;
        public SiteBuilder Site { get; set; } = null!;
        public long AccountId { get; set; }
        public List<Shop> Shops { get; } = new();
        public ConcurrentQueue<DeviceAlarmChange> AlarmEvents { get; } = new();

        public Shop First => Shops[0];

        public async Task GatewayDownAsync(Shop shop)
        {
            await shop.Gateway!.DisposeAsync();
            shop.Gateway = null;
        }

        public void GatewayUp(Shop shop) =>
            shop.Gateway = new ModbusTcpGatewaySimulator(new ModbusBus([shop.Meter])) { ListenPort = shop.Port }.Start();

        /// <summary>What the background loops do, step by step on the fake clock: a reconciliation pass, then a dispatch run.</summary>
        public async Task RunForAsync(TimeSpan span, TimeSpan? step = null)
        {
            var by = step ?? TimeSpan.FromSeconds(15);
            var ct = TestContext.Current.CancellationToken;
            for (var t = TimeSpan.Zero; t < span; t += by)
            {
                app.Time.Advance(by);
                await app.Get<SwitchReconciliation>().RunAsync(app.Time.GetUtcNow(), ct);
                await app.Dispatcher.RunOnceAsync(ct);
            }
        }

        public async Task<JsonElement[]> CommandsAsync(Shop shop) =>
            (await Client.GetOkAsync($"/api/meters/{shop.MeterId}/commands")).EnumerateArray().ToArray();

        public async Task<JsonElement[]> OpenAlarmsAsync(Shop shop) =>
            (await Client.GetOkAsync($"/api/device-alarms?meterId={shop.MeterId}&openOnly=true")).EnumerateArray().ToArray();

        /// <summary>Through the current client: tokens expire on the fake clock too.</summary>
        public Task<JsonElement> TopUpAsync(string amount, string key) => new SiteBuilder(Client).TopUpAsync(AccountId, amount, key);

        public async Task<string> StateAsync() => (await Client.GetOkAsync($"/api/accounts/{AccountId}")).Str("state");

        public async ValueTask DisposeAsync()
        {
            foreach (var s in Shops) if (s.Gateway is not null) await s.Gateway.DisposeAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>One account on <paramref name="meters"/> 10 kW shops (each behind its own gateway), a flat 1.00/kWh, 5.00 in the wallet.</summary>
    static async Task<Rig> RigAsync(int meters = 1, object? friendlyCutoff = null, bool keepOn = false)
    {
        var rig = new Rig(new DeviceApp());
        rig.App.Get<DeviceEventBus>().AlarmChanged += a => rig.AlarmEvents.Enqueue(a);
        rig.Client = await rig.App.AdminAsync();
        rig.Site = await new SiteBuilder(rig.Client).SiteAsync(friendlyCutoff);
        var tariff = await rig.Site.FlatTariffAsync("1.0000");
        for (var i = 1; i <= meters; i++)
        {
            var meter = new SimulatedElectricMeter(1, $"00000000000{i}", rig.App.Time, LoadProfile.Constant(10_000)) { RegisterStepWh = 10 };
            var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
            var meterId = await rig.Site.MeterAsync($"E-{i}");
            var busId = await DeviceApp.BusAsync(rig.Client, rig.Site.SiteId, "modbusTcp", gateway.Port, $"gw-{i}");
            await DeviceApp.ConnectAsync(rig.Client, meterId, busId, "1", "generic-modbus");
            rig.Shops.Add(new Shop(meter, meterId, gateway));
        }
        var tenant = await rig.Site.TenantAsync();
        var account = await rig.Site.AccountAsync(tenant, rig.Shops.Select(s => (s.MeterId, tariff, "0")),
            rig.App.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"), alarm1: "3.00", alarm2: "1.00", keepOn: keepOn);
        rig.AccountId = account.Id();
        await rig.TopUpAsync("5.00", "first");
        return rig;
    }

    /// <summary>The poller reads the baseline, an hour passes at 10 kW per shop, the next sweep bills it: arrears.</summary>
    static async Task IntoArrearsAsync(Rig rig, TimeSpan? after = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await rig.App.Poller.SweepAllAsync(ct);
        rig.App.Time.Advance(after ?? TimeSpan.FromHours(1));
        rig.Client = await rig.App.AdminAsync();
        await rig.App.Poller.SweepAllAsync(ct);
        Assert.Equal("arrears", await rig.StateAsync());
    }

    static async Task<bool> LedgerOkAsync(Rig rig) => (await rig.Client.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean();

    [Fact]
    public async Task TripThatFails_AlarmsAndIsAskedAgain_ThenConfirmedWhenTheMeterAnswers_R16a()
    {
        await using var rig = await RigAsync();
        var shop = rig.First;
        var hubAlarms = new ConcurrentQueue<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(rig.App.Host.Server.BaseAddress, "/hubs/dashboard"), o =>
            {
                o.HttpMessageHandlerFactory = _ => rig.App.Host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(rig.Client.DefaultRequestHeaders.Authorization?.Parameter);
            })
            .Build();
        hub.On<JsonElement>("Alarm", a => hubAlarms.Enqueue(a));
        await hub.StartAsync(TestContext.Current.CancellationToken);
        await hub.InvokeAsync("WatchSite", rig.Site.SiteId, TestContext.Current.CancellationToken);

        await IntoArrearsAsync(rig);
        await rig.GatewayDownAsync(shop);                            // the meter does not answer
        await rig.RunForAsync(TimeSpan.FromMinutes(3));               // five attempts, then failed

        var failed = Assert.Single(await rig.CommandsAsync(shop));
        Assert.Equal(("trip", "failed"), (failed.Str("kind"), failed.Str("state")));
        Assert.Equal("arrears", await rig.StateAsync());
        Assert.False(shop.Meter.RelayOpen);
        var alarm = Assert.Single(await rig.OpenAlarmsAsync(shop));
        Assert.Equal("tripFailed", alarm.Str("kind"));
        Assert.Contains(rig.AlarmEvents, a => a is { Kind: "tripFailed", Raised: true });
        await Eventually(() => hubAlarms.Any(a => a.Str("kind") == "tripFailed" && a.GetProperty("meterId").GetInt64() == shop.MeterId));
        Assert.Equal(rig.AccountId, hubAlarms.First(a => a.Str("kind") == "tripFailed").GetProperty("accountId").GetInt64());

        await rig.RunForAsync(TimeSpan.FromMinutes(3));               // back-off of 5 min not over yet: nothing asked
        Assert.Single(await rig.CommandsAsync(shop));
        await rig.RunForAsync(TimeSpan.FromMinutes(3));               // asked again, fails again (the meter is still silent)
        var commands = await rig.CommandsAsync(shop);
        Assert.Equal(2, commands.Length);
        Assert.All(commands, c => Assert.Equal(("trip", "engine", "failed"), (c.Str("kind"), c.Str("source"), c.Str("state"))));
        Assert.Single(await rig.OpenAlarmsAsync(shop));               // one alarm, not one per attempt

        rig.GatewayUp(shop);                                          // the meter answers again; nobody touches anything
        await rig.RunForAsync(TimeSpan.FromMinutes(12));              // 10 min back-off, then asked and confirmed
        commands = await rig.CommandsAsync(shop);
        Assert.Equal(3, commands.Length);
        Assert.Equal("confirmed", commands[0].Str("state"));
        Assert.True(shop.Meter.RelayOpen);
        Assert.Equal("open", (await rig.Client.GetOkAsync($"/api/meters/{shop.MeterId}")).Str("relay"));
        Assert.Empty(await rig.OpenAlarmsAsync(shop));
        // Cleared by the read-back that confirmed the trip, not left for the next pass.
        Assert.Contains(rig.AlarmEvents, a => a is { Kind: "tripFailed", Raised: false, Detail: "The meter confirms it is tripped." });

        await rig.RunForAsync(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));   // converged: nothing more is asked
        Assert.Equal(3, (await rig.CommandsAsync(shop)).Length);
        Assert.True(await LedgerOkAsync(rig));
    }

    [Fact]
    public async Task TenantPaysAndTheCloseFails_CloseIsAskedAgainUntilConfirmed_R16a()
    {
        await using var rig = await RigAsync();
        var shop = rig.First;
        await IntoArrearsAsync(rig);
        await rig.RunForAsync(TimeSpan.FromSeconds(15));
        Assert.True(shop.Meter.RelayOpen);                            // tripped and confirmed

        await rig.GatewayDownAsync(shop);
        await rig.TopUpAsync("50.00", "paid");
        await rig.RunForAsync(TimeSpan.FromMinutes(3));
        var close = (await rig.CommandsAsync(shop))[0];
        Assert.Equal(("close", "failed"), (close.Str("kind"), close.Str("state")));
        Assert.Equal("closeFailed", Assert.Single(await rig.OpenAlarmsAsync(shop)).Str("kind"));

        await rig.RunForAsync(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));   // still silent: asked again at 5, then 10, 20 min
        Assert.True((await rig.CommandsAsync(shop)).Count(c => c.Str("kind") == "close") >= 3);
        Assert.True(shop.Meter.RelayOpen);

        rig.GatewayUp(shop);
        await rig.RunForAsync(TimeSpan.FromMinutes(45), TimeSpan.FromMinutes(1));
        Assert.False(shop.Meter.RelayOpen);                           // supply is back
        Assert.Equal("confirmed", (await rig.CommandsAsync(shop))[0].Str("state"));
        Assert.Empty(await rig.OpenAlarmsAsync(shop));
        Assert.True(await LedgerOkAsync(rig));
    }

    [Fact]
    public async Task AccountWithTwoMeters_OnlyTheOneThatFailedIsAskedAgain_R16a()
    {
        await using var rig = await RigAsync(meters: 2);
        var (up, down) = (rig.Shops[0], rig.Shops[1]);
        await IntoArrearsAsync(rig);
        await rig.GatewayDownAsync(down);
        await rig.RunForAsync(TimeSpan.FromMinutes(3));
        Assert.True(up.Meter.RelayOpen);
        Assert.Empty(await rig.OpenAlarmsAsync(up));
        Assert.Equal("tripFailed", Assert.Single(await rig.OpenAlarmsAsync(down)).Str("kind"));

        rig.GatewayUp(down);
        await rig.RunForAsync(TimeSpan.FromMinutes(7));
        Assert.True(down.Meter.RelayOpen);
        Assert.Empty(await rig.OpenAlarmsAsync(down));
        Assert.Single(await rig.CommandsAsync(up));                  // the confirmed meter was never asked twice
        Assert.Equal(2, (await rig.CommandsAsync(down)).Length);
    }

    [Fact]
    public async Task KeepOnAccount_IsNeverTripped_R16a()
    {
        await using var rig = await RigAsync(keepOn: true);
        await IntoArrearsAsync(rig);
        await rig.RunForAsync(TimeSpan.FromHours(3), TimeSpan.FromMinutes(1));
        Assert.False(rig.First.Meter.RelayOpen);
        Assert.Empty(await rig.CommandsAsync(rig.First));
        Assert.Empty(await rig.OpenAlarmsAsync(rig.First));
    }

    [Fact]
    public async Task TripWaitingForTheFriendlyWindow_AccountSetKeepOnMeanwhile_IsNeverTripped_R16a()
    {
        await using var rig = await RigAsync(friendlyCutoff: new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() });
        await rig.TopUpAsync("145.00", "more");  // 150.00 lasts 15 h at 10 kW: dry at 23:00
        await IntoArrearsAsync(rig, TimeSpan.FromHours(15.5));        // 23:30: the trip waits for 07:00
        await rig.Client.PostOkAsync($"/api/meters/{rig.First.MeterId}/commands", new { kind = "keepOn" });
        await rig.RunForAsync(TimeSpan.FromHours(9), TimeSpan.FromMinutes(1));   // past 07:00
        Assert.False(rig.First.Meter.RelayOpen);
        Assert.DoesNotContain(await rig.CommandsAsync(rig.First), c => c.Str("kind") == "trip");
    }

    [Fact]
    public async Task FailedTripDueInsideTheFriendlyWindow_WaitsForItsEnd_R16a()
    {
        await using var rig = await RigAsync(friendlyCutoff: new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() });
        var shop = rig.First;
        await rig.TopUpAsync("134.00", "more");  // 139.00 lasts until 21:54
        await IntoArrearsAsync(rig, TimeSpan.FromMinutes(13 * 60 + 56));   // Monday 21:56
        await rig.GatewayDownAsync(shop);
        await rig.RunForAsync(TimeSpan.FromMinutes(3));               // failed by ~21:58: asking again is due at ~22:03, in the window
        Assert.Equal("tripFailed", Assert.Single(await rig.OpenAlarmsAsync(shop)).Str("kind"));
        rig.GatewayUp(shop);

        await rig.RunForAsync(TimeSpan.FromHours(8.9), TimeSpan.FromMinutes(1));  // 06:52 Tuesday
        rig.Client = await rig.App.AdminAsync();
        Assert.Single(await rig.CommandsAsync(shop));                 // nothing asked at night
        Assert.False(shop.Meter.RelayOpen);
        Assert.Single(await rig.OpenAlarmsAsync(shop));

        await rig.RunForAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));  // 07:02
        Assert.True(shop.Meter.RelayOpen);
        Assert.Equal("confirmed", (await rig.CommandsAsync(shop))[0].Str("state"));
        Assert.Empty(await rig.OpenAlarmsAsync(shop));
    }

    [Fact]
    public async Task LaterCloseSupersedesATripWaitingForTheWindow_R16()
    {
        await using var rig = await RigAsync(friendlyCutoff: new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() });
        await rig.TopUpAsync("145.00", "more");
        await IntoArrearsAsync(rig, TimeSpan.FromHours(15.5));        // 23:30: the trip waits
        await rig.TopUpAsync("100.00", "paid-at-night");
        await rig.RunForAsync(TimeSpan.FromHours(9), TimeSpan.FromMinutes(1));
        Assert.False(rig.First.Meter.RelayOpen);
        Assert.DoesNotContain(await rig.CommandsAsync(rig.First), c => c.Str("kind") == "trip");
        Assert.Empty(await rig.OpenAlarmsAsync(rig.First));
    }

    [Fact]
    public async Task MeterWithoutAConnection_AlarmsOnce_AndNothingIsSent_R16a()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meterId = await site.MeterAsync("E-LOOSE");
        var tenant = await site.TenantAsync();
        var account = await site.AccountAsync(tenant, [(meterId, tariff, "0")], "2026-11-02T08:00:00.000+08:00");
        app.Time.Advance(TimeSpan.FromHours(1.5));
        await site.ReadingsAsync(new { meterId, at = "2026-11-02T09:00:00+08:00", registers = new { total = "10" } });   // 10.00 owed
        Assert.Equal("arrears", (await client.GetOkAsync($"/api/accounts/{account.Id()}")).Str("state"));

        var reconciliation = app.Get<SwitchReconciliation>();
        for (var i = 0; i < 20; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(5));
            await reconciliation.RunAsync(app.Time.GetUtcNow(), TestContext.Current.CancellationToken);
            await app.Dispatcher.RunOnceAsync(TestContext.Current.CancellationToken);
        }
        var alarm = Assert.Single((await client.GetOkAsync($"/api/device-alarms?meterId={meterId}")).EnumerateArray());
        Assert.Equal("tripFailed", alarm.Str("kind"));
        Assert.Contains("no connection", alarm.Str("detail"));
        Assert.Empty((await client.GetOkAsync($"/api/meters/{meterId}/commands")).EnumerateArray());
        Assert.Single((await client.GetOkAsync($"/api/outbox?kind=switchRequested&accountId={account.Id()}")).EnumerateArray());   // the engine's own request only
    }

    [Fact]
    public async Task ClosedAccount_RequiresNothing_ItsAlarmClears_R16a()
    {
        await using var rig = await RigAsync();
        var shop = rig.First;
        await IntoArrearsAsync(rig);
        await rig.GatewayDownAsync(shop);
        await rig.RunForAsync(TimeSpan.FromMinutes(3));
        Assert.Single(await rig.OpenAlarmsAsync(shop));

        // Move-out has no endpoint yet: close the account as R26 would leave it.
        await using (var c = new SqliteConnection($"Data Source={rig.App.App.DatabasePath}"))
            await c.ExecuteAsync("UPDATE accounts SET closed_at_ms = @at WHERE id = @id; UPDATE account_meters SET closed_at_ms = @at WHERE account_id = @id",
                new { at = rig.App.Time.GetUtcNow().ToUnixTimeMilliseconds(), id = rig.AccountId });
        await rig.RunForAsync(TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
        Assert.Empty(await rig.OpenAlarmsAsync(shop));
        Assert.Single(await rig.CommandsAsync(shop));                 // nothing asked of a closed account's meter
    }

    [Fact]
    public async Task ReconciliationRunsAsAQuartzJob_WhenBackgroundWorkIsOn_R16a()
    {
        await using var app = new DeviceApp(background: true);
        await app.AdminAsync();                                      // the host is up
        var scheduler = await app.Get<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        Assert.True(await scheduler.Exists(ReconcileSwitchesJob.Key, TestContext.Current.CancellationToken));
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("reconcile-switches-every-minute", "devices"), TestContext.Current.CancellationToken);
        Assert.Equal(ReconcileSwitchesJob.Interval, Assert.IsAssignableFrom<Quartz.ISimpleTrigger>(trigger).RepeatInterval);
    }

    static async Task Eventually(Func<bool> condition, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("The expected hub event did not arrive in time.");
            await Task.Delay(50);
        }
    }
}
