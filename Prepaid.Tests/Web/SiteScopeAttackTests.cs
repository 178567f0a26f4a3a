using System.Net;
using System.Net.Http.Json;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Hole 2 as it was found: an operator of site A put a gateway of their own into site B, a bus on it, and rewired B's
/// meter to it; the poller read the attacker's Modbus server and the foreign tenant was debited 300.00 (and the meter's
/// trip commands would have gone to that server).
/// </summary>
public class SiteScopeAttackTests
{
    [Fact]
    public async Task OperatorOfSiteA_RewiringSiteBsMeterToTheirOwnServer_Gets404_AndTheForeignWalletIsUnchanged()
    {
        await using var app = new DeviceApp();
        var ct = TestContext.Current.CancellationToken;
        var admin = await app.AdminAsync();
        var a = await new SiteBuilder(admin).SiteAsync(name: "Mall A");
        var b = await new SiteBuilder(admin).SiteAsync(name: "Mall B");
        var tariff = await b.FlatTariffAsync("1.0000");
        var meter = await b.MeterAsync("B-1");
        var tenant = await b.TenantAsync("Shop B", null, "13800000002");
        var account = (await b.AccountAsync(tenant, [(meter, tariff, "100")], PrepaidApp.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz"))).Id();
        await b.TopUpAsync(account, "500.00", "shop-b-1");
        // Site B's own, legitimate wiring (its gateway is switched off: a poll of it reads nothing).
        var off = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        off.Start();
        var offPort = ((IPEndPoint)off.LocalEndpoint).Port;
        off.Stop();
        var busB = await DeviceApp.BusAsync(admin, b.SiteId, "modbusTcp", offPort, "gw-B");
        var gatewayB = (await admin.GetOkAsync($"/api/buses")).EnumerateArray().Single().GetProperty("gatewayId").GetInt64();
        await DeviceApp.ConnectAsync(admin, meter, busB, "7", "generic-modbus");
        var balance = await b.BalanceAsync(account);
        await admin.PostOkAsync("/api/users", new { username = "op-a", password = "role-pass-123", role = "operator", siteIds = new[] { a.SiteId } });
        var op = app.Host.CreateClient();
        var token = await (await op.PostAsJsonAsync("/api/auth/token", new { username = "op-a", password = "role-pass-123" })).ReadJsonAsync();
        op.DefaultRequestHeaders.Authorization = new("Bearer", token.Str("token"));

        // The attacker's server: a meter whose register reads 400 kWh, 300 above the account's opening reading.
        var fake = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(0), initialTotalWh: 400_000);
        await using var server = new ModbusTcpGatewaySimulator(new ModbusBus([fake])).Start();

        var gateway = await op.PostAsJsonAsync("/api/gateways", new { siteId = b.SiteId, name = "mine", protocol = "modbusTcp", host = "127.0.0.1", port = server.Port, timeoutMs = 500 });
        var gatewayId = gateway.IsSuccessStatusCode ? (await gateway.ReadJsonAsync()).Id() : gatewayB;
        var bus = await op.PostAsJsonAsync($"/api/gateways/{gatewayId}/buses", new { name = "bus-mine", pollIntervalSeconds = 60 });
        var busId = bus.IsSuccessStatusCode ? (await bus.ReadJsonAsync()).Id() : busB;
        var rewire = await op.PutAsJsonAsync($"/api/meters/{meter}/connection", new { busId, address = "1", profile = "generic-modbus" });
        app.Time.Advance(TimeSpan.FromHours(48)); // 300 kWh over two days is plausible for the meter: it would be billed, not held
        await app.Poller.SweepAllAsync(ct);

        admin = await app.AdminAsync(); // two days on, the first token has expired
        Assert.Equal(balance, (await admin.GetOkAsync($"/api/accounts/{account}")).Str("balance"));
        Assert.Equal("500.00", balance);
        Assert.Equal(HttpStatusCode.NotFound, gateway.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bus.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rewire.StatusCode);
        var connection = (await admin.GetOkAsync($"/api/meters/{meter}")).GetProperty("connection");
        Assert.Equal(busB, connection.GetProperty("busId").GetInt64());
        Assert.Equal([gatewayB], (await admin.GetOkAsync($"/api/gateways?siteId={b.SiteId}")).EnumerateArray().Select(g => g.Id()).ToArray());
    }
}
