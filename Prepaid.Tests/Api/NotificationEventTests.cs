using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Building;
using Prepaid.Api.Notifications;
using Prepaid.Fakes.Notifications;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Every kind of notification from where its event really happens (readings, top-ups, a waiting trip, confirmed trips
/// and closes over real Modbus TCP, the building's leak check, the statements run) to an e-mail read off the loopback
/// SMTP server. Two tenants on one site: A subscribed to the kind under test only, B to every other kind; the event
/// happens to both, A hears it once, B does not.
/// </summary>
public class NotificationEventTests
{
    const string MailA = "a@shop.example", MailB = "b@shop.example";

    sealed record World(WebApplicationFactory<Program> Host, Microsoft.Extensions.Time.Testing.FakeTimeProvider Time, HttpClient Admin, SiteBuilder Site,
        long AccountA, long AccountB, long MeterA, long MeterB, LoopbackSmtpServer Smtp, IAsyncDisposable Owner) : IAsyncDisposable
    {
        public NotificationDispatcher Dispatcher => Host.Services.GetRequiredService<NotificationDispatcher>();

        /// <summary>The kinds of the messages that reached an address, in order.</summary>
        public List<string> Told(string address) =>
            [.. Smtp.Received.Where(m => m.To.Contains(address)).Select(m => (m.Message.Headers["X-Prepaid-Notification"] ?? "").Split(':')[0])];

        public async ValueTask DisposeAsync()
        {
            Admin.Dispose();
            await Owner.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    static void Configure(Dictionary<string, string> settings, LoopbackSmtpServer smtp)
    {
        settings["Prepaid:Notifications:Email:Host"] = "127.0.0.1";
        settings["Prepaid:Notifications:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Prepaid:Notifications:Email:Security"] = "none";
        settings["Prepaid:Devices:Background"] = "false";
    }

    static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> host, string username, string password)
    {
        var client = host.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).Str("token"));
        return client;
    }

    /// <summary>A subscribed to <paramref name="kind"/> (and <paramref name="more"/>), B to every other kind.</summary>
    static async Task SubscribeAsync(WebApplicationFactory<Program> host, string kind, params string[] more)
    {
        foreach (var (phone, mail, kinds) in new[] { ("13800000077", MailA, (string[])[kind, .. more]), ("13800000088", MailB, NotificationKinds.All.Where(k => k != kind).ToArray()) })
        {
            using var tenant = await SignInAsync(host, phone, "tenant-pass-7");
            var response = await tenant.PutAsJsonAsync("/api/me/notifications", new { subscriptions = new[] { new { channel = "email", address = mail, kinds } } });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    static async Task<(long A, long B, long MeterA, long MeterB)> TenantsAsync(SiteBuilder site, string utility, string at, string opening = "100")
    {
        var tariff = await site.FlatTariffAsync("1.0000", utility);
        var meterA = await site.MeterAsync(utility == "water" ? "W-A" : "E-A", utility);
        var meterB = await site.MeterAsync(utility == "water" ? "W-B" : "E-B", utility);
        var a = (await site.AccountAsync(await site.TenantAsync("甲 Shop A", "tenant-pass-7", "13800000077"), [(meterA, tariff, opening)], at)).Id();
        var b = (await site.AccountAsync(await site.TenantAsync("乙 Shop B", "tenant-pass-7", "13800000088"), [(meterB, tariff, opening)], at)).Id();
        return (a, b, meterA, meterB);
    }

    static async Task<World> WorldAsync(string kind, string utility = "electricity", object? friendlyCutoff = null, params string[] more)
    {
        var smtp = new LoopbackSmtpServer();
        var app = new PrepaidApp();
        Configure(app.Settings, smtp);
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(friendlyCutoff);
        var (a, b, meterA, meterB) = await TenantsAsync(site, utility, "2026-11-02T08:00:00+08:00");
        await SubscribeAsync(app, kind, more);
        return new World(app, app.Time, admin, site, a, b, meterA, meterB, smtp, new Disposer(app));
    }

    sealed class Disposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    static async Task ReadBothAsync(World w, string at, string total) =>
        await w.Site.ReadingsAsync(new { meterId = w.MeterA, at, registers = new { total } }, new { meterId = w.MeterB, at, registers = new { total } });

    [Theory]
    [InlineData(NotificationKinds.LowBalance1, "115")] // 100.00 → 85.00 … 30.00 − 15.00 = 15.00: under alarm 1 (20.00)
    [InlineData(NotificationKinds.LowBalance2, "122")] // 8.00: straight under alarm 2 (10.00)
    public async Task LowBalance_ReachesTheSubscribedTenantOnly_OnceOnTheWayDown(string kind, string total)
    {
        await using var w = await WorldAsync(kind);
        await w.Site.TopUpAsync(w.AccountA, "30.00", "a-1");
        await w.Site.TopUpAsync(w.AccountB, "30.00", "b-1");
        await ReadBothAsync(w, "2026-11-02T19:30:00+08:00", total);
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([kind], w.Told(MailA));
        Assert.DoesNotContain(kind, w.Told(MailB));
        var mail = w.Smtp.Received.Single(m => m.To.Contains(MailA)).Message;
        Assert.Contains(kind == NotificationKinds.LowBalance1 ? "¥15.00" : "¥8.00", mail.TextBody);

        // Lifted back over the line by a top-up, the next fall tells again (another event).
        await w.Site.TopUpAsync(w.AccountA, "100.00", "a-2");
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([kind], w.Told(MailA));
    }

    [Fact]
    public async Task LowBalance_IsToldOnTheWayDownOnly_ATopUpFromAlarm2ToAlarm1TellsNothing()
    {
        await using var w = await WorldAsync(NotificationKinds.LowBalance1, more: NotificationKinds.LowBalance2);
        await w.Site.TopUpAsync(w.AccountA, "30.00", "a-1");
        await ReadBothAsync(w, "2026-11-02T19:30:00+08:00", "122"); // 8.00: alarm 2
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.LowBalance2], w.Told(MailA));
        await w.Site.TopUpAsync(w.AccountA, "5.00", "a-2"); // 13.00: back up to alarm 1, which is no news
        Assert.Equal("alarm1", (await w.Admin.GetOkAsync($"/api/accounts/{w.AccountA}")).Str("state"));
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.LowBalance2], w.Told(MailA));
    }

    [Fact]
    public async Task SupplyCutSoon_NotToldForATripThatActsAtOnce()
    {
        await using var w = await WorldAsync(NotificationKinds.SupplyCutSoon, more: NotificationKinds.LowBalance2);
        await ReadBothAsync(w, "2026-11-02T19:30:00+08:00", "105");
        Assert.Equal("arrears", (await w.Admin.GetOkAsync($"/api/accounts/{w.AccountA}")).Str("state"));
        await w.Dispatcher.RunOnceAsync();
        Assert.Empty(w.Told(MailA));
    }

    [Fact]
    public async Task PaymentReceived_ReachesTheSubscribedTenantOnly_WithTheChannelInWords()
    {
        await using var w = await WorldAsync(NotificationKinds.PaymentReceived);
        await w.Site.TopUpAsync(w.AccountA, "30.00", "a-1", "bank");
        await w.Site.TopUpAsync(w.AccountB, "30.00", "b-1");
        // The same key again credits nothing and tells nothing.
        await w.Site.TopUpAsync(w.AccountA, "30.00", "a-1", "bank");
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.PaymentReceived], w.Told(MailA));
        Assert.Empty(w.Told(MailB));
        var body = w.Smtp.Received.Single().Message.TextBody;
        Assert.Contains("银行转账", body);
        Assert.Contains("¥30.00 credited (bank transfer)", body);
    }

    [Fact]
    public async Task SupplyCutSoon_TellsTheTimeTheWaitingTripActs_InTheSiteZone_OncePerAccount()
    {
        // 22:00–07:00 is friendly: a wallet that runs dry at 23:00 is cut at 07:00.
        await using var w = await WorldAsync(NotificationKinds.SupplyCutSoon, friendlyCutoff: new { nightFrom = "22:00", nightTo = "07:00", weekends = false });
        w.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:00:00+08:00"));
        await ReadBothAsync(w, "2026-11-02T22:50:00+08:00", "105");
        Assert.Equal("arrears", (await w.Admin.GetOkAsync($"/api/accounts/{w.AccountA}")).Str("state"));
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.SupplyCutSoon], w.Told(MailA));
        Assert.Empty(w.Told(MailB));
        Assert.Contains("2026-11-03 07:00", w.Smtp.Received.Single().Message.Subject);
    }

    [Fact]
    public async Task StatementReady_FromTheStatementsRun_ReachesTheSubscribedTenantOnly_OncePerYear()
    {
        await using var w = await WorldAsync(NotificationKinds.StatementReady);
        for (var i = 0; i < 2; i++)
        {
            var response = await w.Admin.PostAsJsonAsync("/api/statements/runs", new { siteId = w.Site.SiteId, year = 2026, format = "xlsx" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.StatementReady], w.Told(MailA));
        Assert.Empty(w.Told(MailB));
        Assert.Contains("2026", w.Smtp.Received.Single().Message.Subject);
    }

    [Fact] // R33: the leak check's leakStarted and leakCleared reach the tenant who subscribed to leaks
    public async Task Leak_StartedAndCleared_ReachTheSubscribedTenantOnly_R33()
    {
        await using var w = await WorldAsync(NotificationKinds.Leak, "water");
        var t0 = DateTimeOffset.Parse("2026-11-03T00:00:00+08:00");
        // 25 hours of 0.030 m³ an hour read every 30 minutes (0.750 m³ in 24 hours, over the 0.480 m³ leak volume).
        var now = t0.AddHours(25).AddMinutes(5);
        w.Time.SetUtcNow(now);
        using var admin = await SignInAsync(w.Host, "admin", PrepaidApp.AdminPassword);
        var site = new SiteBuilder(admin) { SiteId = w.Site.SiteId };
        var readings = new List<object>();
        for (var half = 0; half <= 50; half++)
        {
            var total = (100m + 0.015m * half).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            var at = t0.AddMinutes(30 * half).ToString("o");
            readings.Add(new { meterId = w.MeterA, at, registers = new { total } });
            readings.Add(new { meterId = w.MeterB, at, registers = new { total } });
        }
        await site.ReadingsAsync([.. readings]);
        var checks = w.Host.Services.GetRequiredService<BuildingChecks>();
        await checks.LeaksAsync(now);
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.Leak], w.Told(MailA));
        Assert.Empty(w.Told(MailB));
        var started = w.Smtp.Received.Single().Message.TextBody;
        Assert.Contains("W-A", started);
        Assert.Contains("2026-11-03 01:00", started); // the first of the 24 whole hours of flow, site time

        // An hour without flow clears it: "leak stopped" under the same subscription.
        now = now.AddHours(2);
        w.Time.SetUtcNow(now);
        await site.ReadingsAsync(
            new { meterId = w.MeterA, at = now.AddMinutes(-90).ToString("o"), registers = new { total = "100.750" } },
            new { meterId = w.MeterA, at = now.AddMinutes(-30).ToString("o"), registers = new { total = "100.750" } },
            new { meterId = w.MeterA, at = now.ToString("o"), registers = new { total = "100.750" } });
        await checks.LeaksAsync(now);
        await checks.LeaksAsync(now); // a second pass changes nothing and tells nothing
        await w.Dispatcher.RunOnceAsync();
        Assert.Equal([NotificationKinds.Leak, NotificationKinds.LeakCleared], w.Told(MailA));
        Assert.Empty(w.Told(MailB));
    }

    [Theory]
    [InlineData(NotificationKinds.SupplyCut)]
    [InlineData(NotificationKinds.SupplyRestored)]
    public async Task SupplyCutAndRestored_FromConfirmedCommands_ReachTheSubscribedTenantOnly(string kind)
    {
        var smtp = new LoopbackSmtpServer();
        var app = new DeviceApp();
        Configure(app.App.Settings, smtp);
        var admin = await app.AdminAsync();
        var meters = new[] { 1, 2 }.Select(a => new SimulatedElectricMeter((byte)a, $"00000000000{a}", app.Time, LoadProfile.Constant(10_000)) { RegisterStepWh = 10 }).ToArray();
        var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(meters)).Start();
        var site = await new SiteBuilder(admin).SiteAsync();
        var start = app.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");
        var (a, b, meterA, meterB) = await TenantsAsync(site, "electricity", start, "0");
        await site.TopUpAsync(a, "5.00", "a-0");
        await site.TopUpAsync(b, "5.00", "b-0");
        var busId = await DeviceApp.BusAsync(admin, site.SiteId, "modbusTcp", gateway.Port);
        await DeviceApp.ConnectAsync(admin, meterA, busId, "1", "generic-modbus");
        await DeviceApp.ConnectAsync(admin, meterB, busId, "2", "generic-modbus");
        await using var w = new World(app.Host, app.Time, admin, site, a, b, meterA, meterB, smtp, new Both(gateway, app));
        await SubscribeAsync(app.Host, kind);
        // 10 kWh in an hour at 1.00 takes both 5.00 wallets into arrears: the dispatcher trips both relays.
        var ct = TestContext.Current.CancellationToken;
        await app.Poller.SweepAllAsync(ct);
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Poller.SweepAllAsync(ct);
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.All(meters, m => Assert.True(m.RelayOpen));
        await w.Dispatcher.RunOnceAsync();
        using var fresh = await app.AdminAsync();
        var topUps = new SiteBuilder(fresh);
        await topUps.TopUpAsync(a, "50.00", "a-1");
        await topUps.TopUpAsync(b, "50.00", "b-1");
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.All(meters, m => Assert.False(m.RelayOpen));
        await w.Dispatcher.RunOnceAsync();
        await w.Dispatcher.RunOnceAsync();

        Assert.Equal([kind], w.Told(MailA));
        Assert.DoesNotContain(kind, w.Told(MailB));
        Assert.Contains("E-A", w.Smtp.Received.Single(m => m.To.Contains(MailA)).Message.Subject);
    }

    [Fact]
    public async Task SupplyCut_IsToldAtOnce_WhileAnotherMetersCommandIsStillInFlight()
    {
        await using var smtp = new LoopbackSmtpServer();
        await using var app = new DeviceApp();
        Configure(app.App.Settings, smtp);
        var admin = await app.AdminAsync();
        var live = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(10_000)) { RegisterStepWh = 10 };
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([live])).Start();
        // Nothing listens on the other gateway's port: its meter's trip is retried, in flight for as long as that lasts.
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var deadPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var asleep = await site.MeterAsync("E-ASLEEP");
        var awake = await site.MeterAsync("E-AWAKE");
        await DeviceApp.ConnectAsync(admin, asleep, await DeviceApp.BusAsync(admin, site.SiteId, "modbusTcp", deadPort, "gw-dead"), "1", "generic-modbus");
        await DeviceApp.ConnectAsync(admin, awake, await DeviceApp.BusAsync(admin, site.SiteId, "modbusTcp", gateway.Port, "gw-live"), "1", "generic-modbus");
        var tenant = await site.TenantAsync("甲 Shop A", "tenant-pass-7", "13800000077");
        await site.TenantAsync("乙 Shop B", "tenant-pass-7", "13800000088");
        var start = app.Time.GetUtcNow();
        var first = (await site.AccountAsync(tenant, [(asleep, tariff, "0")], start.ToString("o"))).Id();
        var second = (await site.AccountAsync(tenant, [(awake, tariff, "0")], start.ToString("o"))).Id();
        await site.TopUpAsync(first, "0.50", "s-1");
        await site.TopUpAsync(second, "5.00", "s-2");
        await SubscribeAsync(app.Host, NotificationKinds.SupplyCut);
        var ct = TestContext.Current.CancellationToken;

        await app.Poller.SweepAllAsync(ct);
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await site.ReadingsAsync(new { meterId = asleep, at = app.Time.GetUtcNow().ToString("o"), registers = new { total = "1" } });
        Assert.Equal("arrears", (await admin.GetOkAsync($"/api/accounts/{first}")).Str("state"));
        await app.Dispatcher.RunOnceAsync(ct); // the first trip cannot reach its meter
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await app.Poller.SweepAllAsync(ct);
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.True(live.RelayOpen);
        using var fresh = await app.AdminAsync();
        var commands = (await fresh.GetOkAsync($"/api/meters/{asleep}/commands")).EnumerateArray().ToList();
        Assert.True(commands.Any(c => c.Str("kind") == "trip" && c.Str("state") is "requested" or "sent"), string.Join("\n", commands));

        await app.Get<NotificationDispatcher>().RunOnceAsync();
        var told = Assert.Single(smtp.Received);
        Assert.Contains("E-AWAKE", told.Message.Subject);
    }

    sealed class Both(IAsyncDisposable gateway, IAsyncDisposable app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await gateway.DisposeAsync();
        }
    }
}
