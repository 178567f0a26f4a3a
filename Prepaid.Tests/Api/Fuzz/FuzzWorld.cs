using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Fuzz;

/// <summary>
/// One of everything, built through the API as admin, so that every operation has real ids to work on; and for every
/// operation a request the API accepts (the seed), which the fuzz then spoils one field at a time.
/// </summary>
public sealed class FuzzWorld
{
    public required Dictionary<string, string> Ids { get; init; }

    public const string NbIotToken = "fuzz-callback-token";

    public static async Task<FuzzWorld> BuildAsync(FuzzApp app, HttpClient admin)
    {
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var room = (await admin.PostOkAsync($"/api/sites/{site.SiteId}/rooms", new { code = "R-101", name = "Room 101", areaM2 = "30.50" })).Id();
        var m1 = await site.MeterAsync("E-FZ-1");
        var m2 = await site.MeterAsync("E-FZ-2");
        var master = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "E-FZ-M", utility = "electricity", tariffId = tariff })).Id();
        var free = await site.MeterAsync("E-FZ-FREE");
        var tenant = await site.TenantAsync("Fuzz shop", "tenant-pass-1", "13900000101");
        var tenant2 = await site.TenantAsync("Fuzz noodles", null, "13900000102");
        var tenant3 = await site.TenantAsync("Fuzz tea", null, "13900000103");
        var account = (await admin.PostOkAsync("/api/accounts", new
        {
            tenantId = tenant, roomId = room, alarm1 = "20.00", alarm2 = "10.00", serviceFeeRate = "0.05",
            meters = new[] { new { meterId = m1, tariffId = tariff, openingReading = new { at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } } } },
        })).Id();
        var account2 = (await site.AccountAsync(tenant2, [(m2, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        await site.TopUpAsync(account, "200.00", "fuzz-world-1");

        // A paid WeChat order, for refunds.
        var order = await admin.PostOkAsync($"/api/accounts/{account}/payments", new { amount = "100.00", channel = "wechat", method = "native" });
        var outTradeNo = order.Str("outTradeNo");
        var paid = app.WeChat.Pay(outTradeNo);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify") { Content = new StringContent(paid.Body, Encoding.UTF8, "application/json") })
        {
            foreach (var (name, value) in paid.Headers) request.Headers.TryAddWithoutValidation(name, value);
            Assert.True((await app.CreateClient().SendAsync(request)).IsSuccessStatusCode);
        }

        var gateway = (await admin.PostOkAsync("/api/gateways", new { siteId = site.SiteId, name = "GW-1", protocol = "modbusTcp", host = "127.0.0.1", port = 1502 })).Id();
        var bus = (await admin.PostOkAsync($"/api/gateways/{gateway}/buses", new { name = "Bus-1" })).Id();
        var nbiot = (await admin.PostOkAsync("/api/gateways", new
        {
            siteId = site.SiteId, name = "NB-1", protocol = "iotda", host = "http://127.0.0.1:9", settings = new { callbackToken = NbIotToken },
        })).Id();
        var nbMeter = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "W-NB-1", utility = "water" })).Id();
        var connected = await admin.PutAsJsonAsync($"/api/meters/{nbMeter}/connection", new { gatewayId = nbiot, address = "nb-device-1", profile = "nbiot-water" });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());

        var rule = (await admin.PostOkAsync("/api/apportionments", new
        {
            siteId = site.SiteId, masterMeterId = master, kind = "common", method = "equal", shares = new[] { new { accountId = account }, new { accountId = account2 } },
        })).Id();
        // Batches take only meters that can be switched: wire both to the bus (nothing listens on its port).
        foreach (var (meter, unit) in new[] { (m1, "1"), (m2, "2") })
        {
            var wired = await admin.PutAsJsonAsync($"/api/meters/{meter}/connection", new { busId = bus, address = unit, profile = "generic-modbus" });
            Assert.True(wired.IsSuccessStatusCode, await wired.Content.ReadAsStringAsync());
        }
        var command = (await admin.PostOkAsync($"/api/meters/{m1}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
        var batch = (await admin.PostOkAsync("/api/batches", new { meterIds = new[] { m1, m2 }, command = new { kind = "close" } })).GetProperty("batchId").GetInt64();
        var heat = (await admin.PostOkAsync("/api/heat-allocations", new
        {
            siteId = site.SiteId, from = "2026-10-01T00:00:00+08:00", to = "2026-10-15T00:00:00+08:00", quantity = "12.5", totalCost = "3.00", ur = "0.7",
            flats = new object[] { new { accountId = account, areaM2 = "30.5", allocatorUnits = "10" }, new { accountId = account2, areaM2 = "20" } },
        })).Id();
        var user = (await admin.PostOkAsync("/api/users", new { username = "fuzz-operator", password = "fuzz-pass-1", role = "operator", siteIds = new[] { site.SiteId } })).Id();
        var circuit = (await admin.PostOkAsync("/api/circuits", new { siteId = site.SiteId, masterMeterId = master, subMeterIds = new[] { m1, m2 } })).Id();
        var outbox = (await admin.GetOkAsync("/api/outbox?limit=1")).EnumerateArray().Select(e => e.Id()).DefaultIfEmpty(1).First();
        // Tenancy: an agreement to end, an account of its own to close and a meter of its own to swap, so the other
        // operations keep theirs.
        var charge = (await admin.PostOkAsync("/api/charges", new
        {
            accountId = account, kind = "rent", name = "Rent", amount = "1.00", period = "month", dueDay = 1, from = "2026-11-01",
        })).GetProperty("agreement").Id();
        var closeMeter = await site.MeterAsync("E-FZ-CLOSE");
        var closeTenant = await site.TenantAsync("Fuzz bakery", null, "13900000104");
        var closeAccount = (await site.AccountAsync(closeTenant, [(closeMeter, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        var swapMeter = await site.MeterAsync("E-FZ-SWAP");
        // Helpdesk: a request of the first tenant, with a photo, for the staff's and the tenant's operations.
        using var tenantClient = app.CreateClient();
        var signedIn = await tenantClient.PostAsJsonAsync("/api/auth/token", new { username = "13900000101", password = "tenant-pass-1" });
        tenantClient.DefaultRequestHeaders.Authorization = new("Bearer", (await signedIn.ReadJsonAsync()).Str("token"));
        var helpdeskRequest = (await tenantClient.PostOkAsync("/api/me/requests", new { category = "leak", text = "Fuzz leak", accountId = account, photo = Helpdesk.HelpdeskWorld.Png })).Id();

        return new FuzzWorld
        {
            Ids = new()
            {
                ["siteId"] = $"{site.SiteId}", ["tariffId"] = $"{tariff}", ["roomId"] = $"{room}", ["meterId"] = $"{m1}", ["meterId2"] = $"{m2}",
                ["masterMeterId"] = $"{master}", ["freeMeterId"] = $"{free}", ["tenantId"] = $"{tenant}", ["freeTenantId"] = $"{tenant3}",
                ["accountId"] = $"{account}", ["accountId2"] = $"{account2}", ["outTradeNo"] = outTradeNo, ["gatewayId"] = $"{gateway}",
                ["busId"] = $"{bus}", ["nbiotGatewayId"] = $"{nbiot}", ["ruleId"] = $"{rule}", ["commandId"] = $"{command}", ["batchId"] = $"{batch}",
                ["userId"] = $"{user}", ["allocationId"] = $"{heat}", ["circuitId"] = $"{circuit}", ["id"] = $"{outbox}", ["name"] = "sales", ["token"] = NbIotToken,
                ["chargeId"] = $"{charge}", ["closeAccountId"] = $"{closeAccount}", ["closeMeterId"] = $"{closeMeter}", ["swapMeterId"] = $"{swapMeter}",
                ["requestId"] = $"{helpdeskRequest}",
            },
        };
    }

    string Fill(string template) => Ids.Aggregate(template, (t, id) => t.Replace("{" + id.Key + "}", id.Value));

    /// <summary>Accepted requests per operation ("POST /api/meters"); several where kinds differ (a flat, a time-of-use and a tiered tariff).</summary>
    public IReadOnlyList<JsonNode?> Seeds(string operation) => operation switch
    {
        "POST /api/auth/token" => [Json($$"""{"username":"admin","password":"{{FuzzApp.AdminPassword}}"}""")],
        "POST /api/sites" => [Json("""{"name":"Fuzz mall","timeZone":"Asia/Shanghai","friendlyCutoff":{"nightFrom":"22:00","nightTo":"07:00","weekends":true,"holidays":["2026-10-01"]},"allowAboveCap":false}""")],
        "POST /api/sites/{siteId}/rooms" => [Json("""{"code":"R-201","name":"Room 201","areaM2":"42.25"}""")],
        "PUT /api/me/notifications" => [Json("""
            {"subscriptions":[{"channel":"sms","address":"13900000101","kinds":["lowBalance1","supplyCut"],"quietFrom":"22:00","quietTo":"07:00"},
             {"channel":"email","address":"shop@example.com","kinds":["statementReady"],"quietFrom":null,"quietTo":null}]}
            """)],
        "POST /api/me/requests" =>
        [
            Json($$"""{"category":"meterFault","text":"The display is blank 显示屏不亮","accountId":{accountId},"siteId":null,"photo":"data:image/png;base64,{{Helpdesk.HelpdeskWorld.Png}}"}"""),
            Json("""{"category":"billingQuestion","text":"Why 30 yuan?","accountId":null,"siteId":{siteId},"photo":null}"""),
        ],
        "POST /api/me/requests/{requestId}/comments" => [Json("""{"text":"Any news?"}""")],
        "POST /api/requests/{requestId}/assign" => [Json("""{"userId":{userId}}""")],
        "POST /api/requests/{requestId}/comments" => [Json("""{"text":"Plumber at 14:00","internal":true}""")],
        "POST /api/requests/{requestId}/close" or "POST /api/requests/{requestId}/reopen" => [Json("""{"note":"Checked on site"}""")],
        "POST /api/tenants" => [Json("""{"name":"Bakery","phone":"13900000199","password":"fuzz-pass-2"}""")],
        "POST /api/users" => [Json("""{"username":"fuzz-cashier","password":"fuzz-pass-3","role":"cashier","siteIds":[{siteId}],"tenantId":null}""")],
        "PUT /api/users/{userId}/sites" => [Json("""{"siteIds":[{siteId}]}""")],
        "PUT /api/users/{userId}" => [Json("""{"role":"operator","disabled":false,"siteIds":[{siteId}]}""")],
        "POST /api/tariffs" =>
        [
            Json("""{"siteId":{siteId},"name":"Flat","utility":"electricity","catalogPrice":"1.2000","versions":[{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"flat","price":"1.0000"}]}"""),
            Json("""
                {"siteId":{siteId},"name":"TOU","utility":"electricity","versions":[{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tou",
                 "prices":{"sharp":"1.0300","peak":"0.9500","flat":"0.6853","valley":"0.3500"},
                 "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"00:00","period":"peak"}]}]}
                """),
            Json("""
                {"siteId":{siteId},"name":"Tiered","utility":"water","versions":[{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tiered","period":"month",
                 "tiers":[{"upTo":"10","price":"3.5000"},{"upTo":null,"price":"5.0000"}]}]}
                """),
        ],
        "POST /api/tariffs/{tariffId}/versions" => [Json("""{"version":{"effectiveFrom":"2027-01-01T00:00:00+08:00","kind":"flat","price":"1.1000"}}""")],
        "POST /api/meters" => [Json("""
            {"siteId":{siteId},"serial":"E-FZ-NEW","utility":"electricity","multiplier":"40","registerMax":"1000000","ratedCurrentA":"60","phases":3,
             "ratedMaxPerHour":"50","resolution":"0.01","tariffId":{tariffId},"connection":{"cabinet":"B2"},"kind":"meter"}
            """)],
        "POST /api/accounts" => [Json("""
            {"tenantId":{freeTenantId},"roomId":null,"alarm1":"20.00","alarm2":"10.00","overdraft":"5.00","reconnectThreshold":"0.00","serviceFeeRate":"0.05","keepOn":false,
             "meters":[{"meterId":{freeMeterId},"tariffId":{tariffId},"openingReading":{"at":"2026-11-01T00:00:00+08:00","registers":{"total":"12.5"}}}]}
            """)],
        "POST /api/accounts/{accountId}/topups" => [Json("""{"amount":"10.00","channel":"cash"}""")],
        "POST /api/accounts/{accountId}/payments" => [Json("""{"amount":"10.00","channel":"wechat","method":"native","openId":null,"returnUrl":null}""")],
        "POST /api/accounts/{accountId}/refunds" => [Json("""{"outTradeNo":"{outTradeNo}","amount":"0.01","reason":"fuzz"}""")],
        "POST /api/accounts/{accountId}/deposits" => [Json("""{"amount":"10.00","channel":"cash","idempotencyKey":null}""")],
        "POST /api/accounts/{accountId}/close" => [Json("""
            {"at":"2026-11-02T07:00:00+08:00","finalReadings":[{"meterId":{closeMeterId},"registers":{"total":"3.5"}}],"settle":"carryDebt",
             "moveIn":{"tenantId":{freeTenantId},"alarm1":"20.00","alarm2":"10.00","overdraft":"0.00","reconnectThreshold":"0.00","serviceFeeRate":"0.05","keepOn":false,"tariffs":[{"meterId":{closeMeterId},"tariffId":{tariffId}}]},
             "preview":true}
            """)],
        "POST /api/charges" => [Json("""
            {"accountId":{accountId},"kind":"propertyFee","name":"Property fee","amount":"50.00","period":"quarter","dueDay":15,"from":"2026-11-01","to":"2027-11-01","tripsOnArrears":false,"idempotencyKey":null}
            """)],
        "POST /api/charges/run" => [Json("""{"at":"2026-11-02T07:00:00+08:00"}""")],
        "POST /api/meters/{meterId}/replace" => [Json("""
            {"at":"2026-11-02T07:00:00+08:00","finalReading":{"registers":{"total":"5"}},
             "newMeter":{"serial":"E-FZ-SWAP-NEW","multiplier":"1","registerMax":"1000000","connection":{"busId":{busId},"gatewayId":null,"address":"9","profile":"generic-modbus"}},
             "initialReading":{"registers":{"total":"0"}}}
            """)],
        "POST /api/payments/reconciliations" => [Json("""{"channel":"wechat","day":"2026-11-02"}""")],
        "POST /api/readings" => [Json("""
            [{"serial":"E-FZ-1","at":"2026-11-02T09:00:00+08:00","registers":{"total":"1.50"}},
             {"meterId":{meterId2},"at":"2026-11-02T09:00:00+08:00","registers":{"total":"2.000","sharp":"0.5","peak":"0.5","flat":"0.5","valley":"0.5"}}]
            """)],
        "POST /api/readings/held/{meterId}/accept" or "POST /api/readings/held/{meterId}/reject" => [Json("""{"note":"checked on site"}""")],
        "POST /api/apportionments" => [Json("""
            {"siteId":{siteId},"masterMeterId":{masterMeterId},"kind":"loss","method":"weights","tariffId":{tariffId},
             "shares":[{"accountId":{accountId},"weight":"1.5"},{"accountId":{accountId2},"weight":"2"}]}
            """)],
        "POST /api/apportionments/{ruleId}/runs" => [Json("""{"from":"2026-11-01T00:00:00+08:00","to":"2026-11-02T00:00:00+08:00"}""")],
        "POST /api/heat-allocations" => [Json("""
            {"siteId":{siteId},"from":"2026-10-15T00:00:00+08:00","to":"2026-11-01T00:00:00+08:00","quantity":"100.125","totalCost":"500.00","tariffId":null,
             "ur":"0.65","correctionFactor":"2.5","flats":[{"accountId":{accountId},"areaM2":"30.5","allocatorUnits":"12.5"},{"accountId":{accountId2},"areaM2":"42.25","allocatorUnits":null}]}
            """)],
        "PUT /api/sites/{siteId}/heat-settings" => [Json("""{"ur":"0.70","correctionFactor":"2.0"}""")],
        "POST /api/circuits" => [Json("""{"siteId":{siteId},"name":"Main riser","masterMeterId":{masterMeterId},"subMeterIds":[{meterId},{meterId2}],"thresholdPct":"4.5"}""")],
        "POST /api/compensations" or "POST /api/compensations/preview" =>
            [Json("""{"siteId":{siteId},"utility":"electricity","from":"2026-10-01","to":"2026-11-01T00:00:00+08:00","utilityBill":"0.00"}""")],
        "POST /api/meters/{meterId}/commands" =>
        [
            Json("""{"kind":"pushSettings","payload":{"alarm1":"20.00","alarm2":"10.00"}}"""),
            Json("""{"kind":"pushTariff","payload":{"prices":{"sharp":"1.0300","peak":"0.9500","flat":"0.6853","valley":"0.3500"}}}"""),
        ],
        "POST /api/batches" => [Json("""{"meterIds":[{meterId},{meterId2}],"command":{"kind":"trip","payload":null}}""")],
        "POST /api/gateways" => [Json("""{"siteId":{siteId},"name":"GW-2","protocol":"modbusTcp","host":"127.0.0.1","port":1503,"serialPort":null,"timeoutMs":1000,"settings":{"note":"x"}}""")],
        "POST /api/gateways/{gatewayId}/buses" => [Json("""{"name":"Bus-2","baudRate":9600,"pollIntervalSeconds":60,"offlineAfter":3}""")],
        "PUT /api/meters/{meterId}/connection" => [Json("""{"busId":{busId},"gatewayId":null,"address":"7","profile":"generic-modbus"}""")],
        "POST /api/nbiot/{gatewayId}/iotda" => [Json("""
            {"resource":"device.property","event":"report","notify_data":{"header":{"device_id":"nb-device-1"},
             "body":{"services":[{"service_id":"WaterMeter","properties":{"total":"1.234","valve":"open"},"event_time":"20261102T010000Z"}]}}}
            """)],
        "POST /api/nbiot/{gatewayId}/ctwing" => [Json("""
            {"messageType":"dataReport","deviceId":"nb-device-1","timestamp":1793581200000,"payload":{"serviceData":{"total":"1.234","valve":"open"}}}
            """)],
        "POST /api/payments/wechat/notify" => [Json("""
            {"id":"EV-1","create_time":"2026-11-02T09:00:00+08:00","resource_type":"encrypt-resource","event_type":"TRANSACTION.SUCCESS",
             "resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"AAAA","nonce":"abc","associated_data":"transaction","original_type":"transaction"}}
            """)],
        "POST /api/payments/alipay/notify" => [Json("""{"out_trade_no":"{outTradeNo}","trade_status":"TRADE_SUCCESS","total_amount":"100.00","notify_id":"n-1","sign":"x"}""")],
        _ => [],
    };

    /// <summary>A valid value for a parameter of an operation, or null to leave it out.</summary>
    public string? Parameter(string operation, string name) => (operation, name) switch
    {
        (_, "gatewayId") when operation.Contains("/api/nbiot/") => Ids["nbiotGatewayId"],
        ("GET /api/accounts/{accountId}/consumption", "from") => "2026-10-01",
        (_, "from") => "2026-11-01",
        (_, "to") => "2026-11-03",
        (_, "format") => "json",
        (_, "bucket") => "day",
        (_, "step") => "day",
        (_, "limit") => "10",
        (_, "offset") => "0",
        (_, "channel") => "wechat",
        (_, "day") => "2026-11-02",
        ("GET /api/requests", "state") => "open",
        ("GET /api/requests", "category") => "leak",
        ("GET /api/requests", "assignee") => Ids["userId"],
        ("GET /api/notifications", "state") => "pending",
        ("GET /api/notifications", "kind") => "paymentReceived",
        (_, "state") => "paid",
        (_, "kind") => "switchRequested",
        (_, "after") => "0",
        (_, "openOnly" or "pendingOnly" or "raw") => "false",
        (_, "outcome") => "credited",
        (_, "verification") => "verified",
        ("GET /api/accounts/{accountId}/payments/{outTradeNo}", "outTradeNo") => Ids["outTradeNo"],
        ("POST /api/accounts/{accountId}/close", "accountId") => Ids["closeAccountId"],
        ("POST /api/meters/{meterId}/replace", "meterId") => Ids["swapMeterId"],
        (_, "outTradeNo") => null,
        _ => Ids.GetValueOrDefault(name),
    };

    JsonNode? Json(string template) => JsonNode.Parse(Fill(template));
}
