using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Api.TopUps;
using Prepaid.Engine;

namespace Prepaid.Api.Demo;

/// <summary>
/// `--demo`: a small mall on the embedded database — a TOU electricity tariff, a water tariff, shops with meters,
/// wallets topped up at the counter — and simulated gateways and meters on loopback ports that the real poller reads
/// every 5 s and the real dispatcher switches, so balances move and relays trip while you watch.
/// </summary>
public static class DemoSite
{
    public const int Shops = 20;

    public static void AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DemoSimulator>();
        // NB-IoT: the fake IoTDA platform (in the fakes process, DemoPlatforms) answers the platform client over HTTP and
        // pushes the demo meters' reports back to our callback.
        builder.Services.AddHostedService<DemoNbIotMeters>();
    }

    public static async Task SeedDemoAsync(this WebApplication app)
    {
        var db = app.Services.GetRequiredService<Db>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var simulator = app.Services.GetRequiredService<DemoSimulator>();
        await simulator.StartAsync(db);
        // IoTDA and its IAM both answer under the fakes' /nbiot path.
        var nbIotUrl = (app.Configuration[DemoPlatforms.UrlKey] ?? "http://127.0.0.1:5080").TrimEnd('/') + "/nbiot";
        await using var connection = await db.OpenAsync();
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites") > 0)
        {
            // A restarted demo: the simulated gateways listen on new ports, the fakes on a new address.
            foreach (var (name, port) in simulator.Ports)
                await connection.ExecuteAsync("UPDATE gateways SET port = @port WHERE name = @name", new { name, port });
            var settings = await connection.ExecuteScalarAsync<string?>("SELECT settings_json FROM gateways WHERE name = @name", new { name = DemoSimulator.NbIotGateway });
            if (settings is not null && System.Text.Json.Nodes.JsonNode.Parse(settings) is System.Text.Json.Nodes.JsonObject nb)
            {
                nb["iamUrl"] = nbIotUrl;
                await connection.ExecuteAsync("UPDATE gateways SET host = @host, settings_json = @settings WHERE name = @name",
                    new { host = nbIotUrl, settings = nb.ToJsonString(), name = DemoSimulator.NbIotGateway });
            }
            return;
        }

        await using var tx = db.Dialect.BeginWrite(connection);
        var siteId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("sites",
            "name, time_zone, night_from, night_to, weekends_friendly, created_at_ms", "'Demo Mall 演示商场', 'Asia/Shanghai', '22:00', '07:00', 0, @nowMs"),
            new { nowMs }, tx);
        await SiteLedger.EnsureAsync(connection, tx, db.Dialect, siteId);
        var since = now.AddDays(-30).ToString("O");
        var tou = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tariffs",
            "site_id, name, utility, catalog_price, versions_json, created_at_ms", "@siteId, '商业峰谷电价 Commercial TOU', 'electricity', '0.9000', @json, @nowMs"),
            new
            {
                siteId, nowMs, json = $$"""
                [{"effectiveFrom":"{{since}}","kind":"tou","prices":{"sharp":"1.0300","peak":"0.9500","flat":"0.6853","valley":"0.3500"},
                  "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"10:00","period":"flat"},{"from":"10:00","to":"12:00","period":"sharp"},
                              {"from":"12:00","to":"17:00","period":"peak"},{"from":"17:00","to":"19:00","period":"sharp"},{"from":"19:00","to":"22:00","period":"flat"},
                              {"from":"22:00","to":"00:00","period":"valley"}]}]
                """,
            }, tx);
        var water = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tariffs",
            "site_id, name, utility, versions_json, created_at_ms", "@siteId, '商业用水 Water', 'water', @json, @nowMs"),
            new { siteId, nowMs, json = $$"""[{"effectiveFrom":"{{since}}","kind":"flat","price":"4.9000"}]""" }, tx);

        var buses = new Dictionary<string, (long GatewayId, long BusId)>();
        foreach (var (name, port) in simulator.Ports)
        {
            var protocol = name == DemoSimulator.ModbusGateway ? "modbusTcp" : name == DemoSimulator.Dtu ? "modbusRtuOverTcp"
                : name == DemoSimulator.Dlt645Gateway ? "dlt645Tcp" : "cjt188Tcp";
            var slow = protocol is "dlt645Tcp" or "cjt188Tcp";
            var gatewayId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("gateways",
                "site_id, name, protocol, host, port, timeout_ms, created_at_ms", "@siteId, @name, @protocol, '127.0.0.1', @port, @timeoutMs, @nowMs"),
                new { siteId, name, protocol, port, timeoutMs = slow ? 2000 : 1000, nowMs }, tx);
            var busId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("buses",
                "gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms", "@gatewayId, 'RS-485 1', @baud, @intervalMs, 3, @nowMs"),
                // Water registers step by 10 L: polled every 5 s one step would look like 7.2 m³/h and trip R8's plausibility check.
                new { gatewayId, baud = slow ? 2400 : 9600, intervalMs = protocol == "cjt188Tcp" ? 30_000 : 5000, nowMs }, tx);
            buses[name] = (gatewayId, busId);
        }
        var nbGateway = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("gateways",
            "site_id, name, protocol, host, timeout_ms, settings_json, created_at_ms", "@siteId, @name, 'iotda', @nbIotUrl, 10000, @settings, @nowMs"),
            new
            {
                siteId, name = DemoSimulator.NbIotGateway, nowMs, nbIotUrl,
                // The fake IoTDA issues IAM tokens to this demo user like Huawei Cloud's IAM does (24 h, renewed by the client).
                settings = System.Text.Json.JsonSerializer.Serialize(new
                {
                    projectId = "demo", iamUrl = nbIotUrl, iamDomain = "demo-account", iamUser = "demo-iam-user", iamPassword = "demo-only",
                    iamProject = "cn-north-4", callbackToken = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
                }),
            }, tx);
        buses[DemoSimulator.NbIotGateway] = (nbGateway, 0);

        var outbox = new OutboxWriter();
        for (var i = 1; i <= Shops; i++)
        {
            var isWater = i > 16;
            var withPeriods = !isWater && i % 2 == 0;
            var utility = isWater ? "water" : "electricity";
            var roomId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("rooms",
                "site_id, code, name, area_cm2, created_at_ms", "@siteId, @code, @name, @area, @nowMs"),
                new { siteId, code = $"1F-{i:00}", name = $"Shop 1F-{i:00}", area = (30 + i * 7) * 10_000L, nowMs }, tx);
            // Demo shops draw up to 200 kWh an hour (kitchens, cold rooms) so that their balances visibly move within minutes.
            var meterId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("meters",
                "site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, created_at_ms",
                "@siteId, @serial, @utility, '1', '1000000', @rated, @resolution, 'closed', @nowMs"),
                new { siteId, serial = isWater ? $"W{i:000}" : $"E{i:000}", utility, rated = isWater ? "6" : "200", resolution = isWater ? "0.001" : "0.01", nowMs }, tx);
            var (gatewayName, profile) = DemoSimulator.Placement(i);
            // The demo's NB-IoT meters report every 15 s (DemoNbIotMeters): three missed reports turn one offline.
            var nb = buses[gatewayName].BusId == 0;
            await connection.ExecuteAsync("""
                INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, report_period_ms, offline_after_reports, updated_at_ms)
                VALUES (@meterId, @GatewayId, @BusId, @address, @profile, @reportPeriodMs, @offlineAfterReports, @nowMs)
                """, new
            {
                meterId, buses[gatewayName].GatewayId, BusId = nb ? (long?)null : buses[gatewayName].BusId, address = DemoSimulator.Address(i), profile,
                reportPeriodMs = nb ? 15_000L : (long?)null, offlineAfterReports = nb ? 3L : (long?)null, nowMs,
            }, tx);
            await connection.ExecuteAsync("UPDATE meters SET connection_json = @json WHERE id = @meterId", new
            {
                meterId, json = System.Text.Json.JsonSerializer.Serialize(new { gatewayId = buses[gatewayName].GatewayId, busId = buses[gatewayName].BusId, address = DemoSimulator.Address(i), profile }),
            }, tx);
            var tenantId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tenants",
                "name, phone, created_at_ms", "@name, @phone, @nowMs"), new { name = $"Shop {i:00} 店铺", phone = $"1380000{i:0000}", nowMs }, tx);
            await connection.ExecuteAsync("INSERT INTO users (username, password_hash, role, tenant_id, created_at_ms) VALUES (@phone, @hash, 'tenant', @tenantId, @nowMs)",
                new { phone = $"1380000{i:0000}", hash = Passwords.Hash("demo1234"), tenantId, nowMs }, tx);
            await DemoNotifications.SubscribeAsync(connection, tx, tenantId, i, $"1380000{i:0000}", nowMs);
            string? p = withPeriods ? "0" : null;
            var (accountId, refusal) = await AccountOpening.OpenAsync(connection, tx, db.Dialect, new OpenAccountRequest(tenantId, roomId,
                [new AccountMeterDto(meterId, isWater ? water : tou, new OpeningReadingDto(now.AddMinutes(-10).ToString("O"), new RegistersDto("0", p, p, p, p)))],
                "30.00", "10.00", null, null, "0.02", KeepOn: i == 5), nowMs);
            if (refusal is not null) throw new InvalidOperationException("The demo site could not open its accounts.");
            // A few shops start nearly empty so arrears and trips show within minutes.
            var amount = new Money(i % 6 == 0 ? 300 : 5_000 + i * 1_000);
            await TopUpPosting.PostAsync(connection, tx, db.Dialect, accountId, amount, "cash", TopUpSource.Counter(accountId, "cash", $"demo-{i}"), null, now, outbox);
        }
        await outbox.FlushAsync(connection, tx, db.Dialect, CancellationToken.None);
        await tx.CommitAsync();
        app.Logger.LogInformation("Demo site seeded: {Shops} shops; tenants sign in with phone 1380000NNNN and password demo1234.", Shops);
    }
}
