using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Devices;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Two sites and one user per role: site A ("Mall A") has meters A-1 (tenant 1's account), A-2 (not opened) and A-3
/// (tenant A2's account: another tenant of the same site); site B ("Mall B") has B-1 (tenant 2's account), B-2 (not
/// opened) and B-N (an NB-IoT meter). The operator and the cashier work for site A only. Each site also has what the
/// device and payment endpoints show: a Modbus gateway and bus (its meters polled once, unreachable, so offline alarms
/// exist), a command and a batch, paid payment orders with their notifications, orders paid at the channel but never
/// notified (so the day's reconciliation lists a row per site), an apportionment rule and a room. Site B has an NB-IoT
/// platform gateway with a callback token. Each site has a rent agreement; site B has an account closed already (on B-3),
/// one to close (B-4) and a meter to swap (B-5), site A one to close. Device loops and payment and charge jobs are
/// off: nothing writes unless a test calls.
/// </summary>
public sealed class ScopedWorld : IAsyncLifetime
{
    public const string Password = "role-pass-123";
    public const string Day = "2026-11-02";
    public const string NbIotCallbackToken = "cb-token-site-b";
    public PrepaidApp App { get; } = new()
    {
        Settings =
        {
            ["Prepaid:Devices:Background"] = "false",
            [InProcessFakes.Switch] = "true",
            ["Prepaid:Payments:ScheduleJobs"] = "false",
            ["Prepaid:Charges:Background"] = "false",
        },
    };
    public long SiteA, SiteB, MeterA1, MeterA2, MeterA3, MeterB1, MeterB2, MeterBN, MasterA, MasterB, TariffA, TariffB;
    public long TenantA, TenantA2, TenantB, AccountA, AccountA2, AccountB, OperatorUserId, SpareUserId;
    public long RoomA, RoomB, GatewayA, GatewayB, NbGatewayB, BusA, BusB, CommandA, CommandB, BatchA, BatchB, RuleA, RuleB, OutboxB, HeatB, ImportB;
    /// <summary>Tenancy: a charge agreement of each site, site B's account closed already, accounts to close and a meter to swap.</summary>
    public long ChargeA, ChargeB, MeterB3, MeterB4, MeterB5, MeterA4, AccountBClosed, AccountBToClose, AccountAToClose;
    public string OrderA = "", OrderA2 = "", OrderB = "", LostA = "", LostB = "";
    /// <summary>Building checks: a circuit per site (master over the account's meter), a spare one of B to delete, B's compensation run.</summary>
    public long CircuitA, CircuitB, SpareCircuitB, CompensationB;
    /// <summary>Helpdesk: a request of the tenant of account A, one of tenant A2 (same site) and one of site B's tenant, each with a photo.</summary>
    public long RequestA, RequestA2, RequestB;
    public const string RequestA2Text = "A2's meter display is blank", RequestBText = "B's water pipe burst";
    /// <summary>The signed form Alipay sent for <see cref="OrderB"/>, to replay.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OrderBNotification = [];
    readonly Dictionary<string, HttpClient> clients = new();
    public static readonly string[] RoleNames = ["admin", "operator", "cashier", "auditor", "tenant"];

    public HttpClient Client(string role) => clients[role];
    public string Token(string role) => clients[role].DefaultRequestHeaders.Authorization!.Parameter!;

    public async ValueTask InitializeAsync()
    {
        var admin = await App.AdminAsync();
        var a = await new SiteBuilder(admin).SiteAsync(name: "Mall A");
        var b = await new SiteBuilder(admin).SiteAsync(name: "Mall B");
        (SiteA, SiteB) = (a.SiteId, b.SiteId);
        TariffA = await a.FlatTariffAsync();
        TariffB = await b.FlatTariffAsync();
        MeterA1 = await a.MeterAsync("A-1");
        MeterA2 = await a.MeterAsync("A-2");
        MeterA3 = await a.MeterAsync("A-3");
        MeterB1 = await b.MeterAsync("B-1");
        MeterB2 = await b.MeterAsync("B-2");
        MeterBN = await b.MeterAsync("B-N");
        MasterA = await a.MeterAsync("A-MASTER");
        MasterB = await b.MeterAsync("B-MASTER");
        TenantA = await a.TenantAsync("Shop A", Password, "13800000001");
        TenantB = await b.TenantAsync("Shop B", Password, "13800000002");
        TenantA2 = await a.TenantAsync("Shop A2", null, "13800000003");
        var at = PrepaidApp.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        AccountA = (await a.AccountAsync(TenantA, [(MeterA1, TariffA, "100")], at)).Id();
        AccountB = (await b.AccountAsync(TenantB, [(MeterB1, TariffB, "100")], at)).Id();
        AccountA2 = (await a.AccountAsync(TenantA2, [(MeterA3, TariffA, "100")], at)).Id();
        await a.TopUpAsync(AccountA, "50.00", "world-a");
        // B passes through alarm 1 on the way to normal: the alarms report has a row of site B.
        await b.TopUpAsync(AccountB, "15.00", "world-b");
        await b.TopUpAsync(AccountB, "35.00", "world-b-2");
        await a.TopUpAsync(AccountA2, "50.00", "world-a2");
        RoomA = (await admin.PostOkAsync($"/api/sites/{SiteA}/rooms", new { code = "A-101", name = "Room A", areaM2 = "20" })).Id();
        RoomB = (await admin.PostOkAsync($"/api/sites/{SiteB}/rooms", new { code = "B-101", name = "Room B", areaM2 = "20" })).Id();

        await TenancyAsync(admin, a, b, at);
        await DevicesAsync(admin);
        await PaymentsAsync(admin);
        RuleA = (await admin.PostOkAsync("/api/apportionments", Rule(SiteA, MasterA, TariffA, AccountA))).Id();
        RuleB = (await admin.PostOkAsync("/api/apportionments", Rule(SiteB, MasterB, TariffB, AccountB))).Id();
        // A heat allocation of site B that moves no money (C = 0), so B's balance stays as the other cases expect.
        HeatB = (await admin.PostOkAsync("/api/heat-allocations", new
        {
            siteId = SiteB, from = "2026-10-01T00:00:00+08:00", to = "2026-11-01T00:00:00+08:00", quantity = "10", totalCost = "0.00", ur = "0.7",
            flats = new[] { new { accountId = AccountB, areaM2 = "20", allocatorUnits = "5" } },
        })).Id();
        CircuitA = (await admin.PostOkAsync("/api/circuits", new { siteId = SiteA, masterMeterId = MasterA, subMeterIds = new[] { MeterA1 } })).Id();
        CircuitB = (await admin.PostOkAsync("/api/circuits", new { siteId = SiteB, masterMeterId = MasterB, subMeterIds = new[] { MeterB1 } })).Id();
        SpareCircuitB = (await admin.PostOkAsync("/api/circuits", new { siteId = SiteB, masterMeterId = MasterB, subMeterIds = new[] { MeterB2 } })).Id();
        CompensationB = (await admin.PostOkAsync("/api/compensations",
            new { siteId = SiteB, utility = "electricity", from = "2026-10-01", to = "2026-11-01", utilityBill = "0.00" })).Id();
        OutboxB = (await admin.GetOkAsync("/api/outbox")).EnumerateArray().First(o => o.GetProperty("siteId").GetInt64() == SiteB).Id();
        // The admin's import of a reading of B's unopened meter (before anything else it reads): a report that shows site B.
        var import = await admin.PostAsync("/api/readings/import",
            new MultipartFormDataContent { { new ByteArrayContent("serial,at,total\nB-2,2026-11-01 09:00,5\n"u8.ToArray()), "file", "b.csv" } });
        ImportB = (await import.ReadJsonAsync()).GetProperty("importId").GetInt64();

        await HelpdeskAsync(admin);

        OperatorUserId = (await admin.PostOkAsync("/api/users", new { username = "op-a", password = Password, role = "operator", siteIds = new[] { SiteA } })).Id();
        await admin.PostOkAsync("/api/users", new { username = "cash-a", password = Password, role = "cashier", siteIds = new[] { SiteA } });
        await admin.PostOkAsync("/api/users", new { username = "audit", password = Password, role = "auditor" });
        // Nobody signs in as this one: changing a user ends their sessions, and the callers' sessions must go on.
        SpareUserId = (await admin.PostOkAsync("/api/users", new { username = "spare-a", password = Password, role = "operator", siteIds = new[] { SiteA } })).Id();
        clients["admin"] = admin;
        clients["operator"] = await App.SignInAsync("op-a", Password);
        clients["cashier"] = await App.SignInAsync("cash-a", Password);
        clients["auditor"] = await App.SignInAsync("audit", Password);
        clients["tenant"] = await App.SignInAsync("13800000001", Password);
        clients["anonymous"] = App.CreateClient();
    }

    async Task TenancyAsync(HttpClient admin, SiteBuilder a, SiteBuilder b, string at)
    {
        object Charge(long accountId) => new { accountId, kind = "rent", name = "Rent", amount = "1.00", period = "month", dueDay = 1, from = Day };
        ChargeA = (await admin.PostOkAsync("/api/charges", Charge(AccountA2))).GetProperty("agreement").Id();
        ChargeB = (await admin.PostOkAsync("/api/charges", Charge(AccountB))).GetProperty("agreement").Id();
        MeterB3 = await b.MeterAsync("B-3");
        MeterB4 = await b.MeterAsync("B-4");
        MeterB5 = await b.MeterAsync("B-5");
        MeterA4 = await a.MeterAsync("A-4");
        AccountBClosed = (await b.AccountAsync(TenantB, [(MeterB3, TariffB, "100")], at)).Id();
        AccountBToClose = (await b.AccountAsync(TenantB, [(MeterB4, TariffB, "100")], at)).Id();
        AccountAToClose = (await a.AccountAsync(TenantA2, [(MeterA4, TariffA, "100")], at)).Id();
        await admin.PostOkAsync($"/api/accounts/{AccountBClosed}/close", new { at, settle = "cash" }, System.Net.HttpStatusCode.OK);
    }

    async Task HelpdeskAsync(HttpClient admin)
    {
        const string png = Api.Helpdesk.HelpdeskWorld.Png;
        async Task<long> Filed(HttpClient tenant, long accountId, string text) =>
            (await tenant.PostOkAsync("/api/me/requests", new { category = "meterFault", text, accountId, photo = png })).Id();
        // Tenant A2 signs in for this only: their request is the other tenant's the tenant of account A must not see.
        await admin.PostOkAsync("/api/users", new { username = "tenant-a2", password = Password, role = "tenant", tenantId = TenantA2 });
        using var a2 = await App.SignInAsync("tenant-a2", Password);
        using var b = await App.SignInAsync("13800000002", Password);
        using var a = await App.SignInAsync("13800000001", Password);
        RequestA = await Filed(a, AccountA, "A's meter shows a wrong time");
        RequestA2 = await Filed(a2, AccountA2, RequestA2Text);
        RequestB = await Filed(b, AccountB, RequestBText);
    }

    static object Rule(long siteId, long master, long tariff, long account) =>
        new { siteId, masterMeterId = master, tariffId = tariff, kind = "common", method = "equal", shares = new[] { new { accountId = account } } };

    async Task DevicesAsync(HttpClient admin)
    {
        // A port nothing listens on: each poll fails at once, and with offlineAfter 1 the meter goes offline with an alarm.
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        async Task<(long Gateway, long Bus)> Wired(long siteId, string name)
        {
            var gateway = (await admin.PostOkAsync("/api/gateways", new { siteId, name, protocol = "modbusTcp", host = "127.0.0.1", port, timeoutMs = 200 })).Id();
            var bus = (await admin.PostOkAsync($"/api/gateways/{gateway}/buses", new { name = $"{name}-bus", pollIntervalSeconds = 60, offlineAfter = 1 })).Id();
            return (gateway, bus);
        }
        (GatewayA, BusA) = await Wired(SiteA, "gw-A");
        (GatewayB, BusB) = await Wired(SiteB, "gw-B");
        await Connect(admin, MeterA1, new { busId = BusA, address = "1", profile = "generic-modbus" });
        await Connect(admin, MeterB1, new { busId = BusB, address = "1", profile = "generic-modbus" });
        NbGatewayB = (await admin.PostOkAsync("/api/gateways", new
        {
            siteId = SiteB, name = "gw-B-iotda", protocol = "iotda", host = "http://127.0.0.1:9",
            settings = new { callbackToken = NbIotCallbackToken },
        })).Id();
        await Connect(admin, MeterBN, new { gatewayId = NbGatewayB, address = "dev-bn", profile = "nbiot-electric" });
        await App.Services.GetRequiredService<BusPoller>().SweepAllAsync(TestContext.Current.CancellationToken);

        CommandA = (await admin.PostOkAsync($"/api/meters/{MeterA1}/commands", new { kind = "keepOn" })).GetProperty("commandId").GetInt64();
        CommandB = (await admin.PostOkAsync($"/api/meters/{MeterB1}/commands", new { kind = "keepOn" })).GetProperty("commandId").GetInt64();
        BatchA = (await admin.PostOkAsync("/api/batches", new { meterIds = new[] { MeterA1 }, command = new { kind = "keepOn" } })).GetProperty("batchId").GetInt64();
        BatchB = (await admin.PostOkAsync("/api/batches", new { meterIds = new[] { MeterB1 }, command = new { kind = "keepOn" } })).GetProperty("batchId").GetInt64();
    }

    static async Task Connect(HttpClient admin, long meterId, object body)
    {
        var response = await admin.PutAsJsonAsync($"/api/meters/{meterId}/connection", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    async Task PaymentsAsync(HttpClient admin)
    {
        var alipay = App.Services.GetRequiredService<FakeAlipayGateway>();
        async Task<string> Order(long account) =>
            (await admin.PostOkAsync($"/api/accounts/{account}/payments", new { amount = "30.00", channel = "alipay", method = "qr" })).Str("outTradeNo");
        async Task<IReadOnlyList<KeyValuePair<string, string>>> Paid(string outTradeNo)
        {
            var fields = alipay.Pay(outTradeNo);
            var answer = await App.CreateClient().PostAsync("/api/payments/alipay/notify", new FormUrlEncodedContent(fields));
            Assert.Equal("success", await answer.Content.ReadAsStringAsync());
            return fields;
        }
        OrderA = await Order(AccountA);
        await Paid(OrderA);
        OrderA2 = await Order(AccountA2);
        await Paid(OrderA2);
        OrderB = await Order(AccountB);
        OrderBNotification = await Paid(OrderB);
        // Paid at Alipay, the notification lost: the reconciliation's paid_not_credited rows, one per site.
        LostA = await Order(AccountA);
        alipay.Pay(LostA);
        LostB = await Order(AccountB);
        alipay.Pay(LostB);
        await admin.PostOkAsync("/api/payments/reconciliations", new { channel = "alipay", day = Day });
        // Both sites' tenants hear of their payments: the messages wait in the notifications list (no channel is configured here).
        foreach (var phone in new[] { "13800000001", "13800000002" })
        {
            using var tenant = await App.SignInAsync(phone, Password);
            var subscribed = await tenant.PutAsJsonAsync("/api/me/notifications",
                new { subscriptions = new[] { new { channel = "email", address = $"shop-{phone}@mall.example", kinds = new[] { "paymentReceived" } } } });
            Assert.Equal(System.Net.HttpStatusCode.OK, subscribed.StatusCode);
        }
        await App.Services.GetRequiredService<Prepaid.Api.Notifications.NotificationDispatcher>().RunOnceAsync();
    }

    /// <summary>A WeChat Pay notification body no key signed.</summary>
    public static HttpContent ForgedWeChat(string outTradeNo) =>
        new StringContent(JsonSerializer.Serialize(new { id = "forged-" + outTradeNo, event_type = "TRANSACTION.SUCCESS" }), Encoding.UTF8, "application/json");

    public ValueTask DisposeAsync()
    {
        foreach (var c in clients.Values) c.Dispose();
        App.Dispose();
        return ValueTask.CompletedTask;
    }
}
