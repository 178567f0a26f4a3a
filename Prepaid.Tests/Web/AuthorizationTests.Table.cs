namespace Prepaid.Tests.Web;

public partial class AuthorizationTests
{
    const string D = ScopedWorld.Day;

    static Req Get(string url) => new("GET", url);
    static Req Post(string url, object? json = null, string? key = null) => new("POST", url, json ?? new { }, IdempotencyKey: key);

    /// <summary>
    /// Per operation and case, the status each caller gets. 403: the role may never do it; 404: the object lies
    /// outside the caller's sites or is another tenant's (ids reveal nothing); 401: not signed in. Site A is the
    /// scoped users' site; the tenant owns account A. Rows run in this order, refusals before acceptances.
    /// </summary>
    static List<Row> Table() =>
    [
        //                                                                     admin op  cash aud  ten  anon
        // Sign-in and users
        new("POST /api/auth/token", Of.Nothing, "401 401 401 401 401 401", c => Post("/api/auth/token", new { username = $"nobody-{c.Key}", password = "not-the-password" }))
            { Case = "unknown user", Writes = false, Evidence = ["sign_in_failures"] },
        new("POST /api/auth/logout", Of.Nothing, "- - - - - 204", c => Post("/api/auth/logout")) { Case = "without a token", Writes = false },
        new("PUT /api/users/me/password", Of.Nothing, "400 400 400 400 400 401", c => new("PUT", "/api/users/me/password",
            new { currentPassword = "not-the-password", newPassword = "another-password-1" })) { Case = "wrong current password", Writes = false, Evidence = ["sign_in_failures"] },
        new("PUT /api/users/{userId}", Of.Nothing, "200 403 403 403 403 401", c => new("PUT", $"/api/users/{c.W.SpareUserId}", new { disabled = false })),
        new("POST /api/users/{userId}/password-reset", Of.Nothing, "200 403 403 403 403 401", c => Post($"/api/users/{c.W.SpareUserId}/password-reset")),
        new("GET /api/me", Of.Nothing, "200 200 200 200 200 401", c => Get("/api/me")),
        new("GET /api/me/notifications", Of.Nothing, "403 403 403 403 200 401", c => Get("/api/me/notifications")),
        new("PUT /api/me/notifications", Of.Nothing, "403 403 403 403 200 401", c => new("PUT", "/api/me/notifications",
            new { subscriptions = new[] { new { channel = "email", address = "a2@shop.example", kinds = new[] { "lowBalance1" } } } })),
        new("POST /api/users", Of.Nothing, "201 403 403 403 403 401", c => Post("/api/users", new { username = $"u-{c.Key}", password = ScopedWorld.Password, role = "auditor" })),
        new("GET /api/users", Of.Nothing, "200 403 403 403 403 401", c => Get("/api/users")),
        new("PUT /api/users/{userId}/sites", Of.SiteB, "200 403 403 403 403 401", c => new("PUT", $"/api/users/{c.W.SpareUserId}/sites",
            new { siteIds = c.Caller == "admin" ? new[] { c.W.SiteA } : new[] { c.W.SiteA, c.W.SiteB } })) { Case = "the operator asks for site B" },
        new("GET /api/admin/ledger-check", Of.Nothing, "200 403 403 403 403 401", c => Get("/api/admin/ledger-check")),

        // Sites and rooms
        new("POST /api/sites", Of.Nothing, "201 403 403 403 403 401", c => Post("/api/sites", new { name = $"Site {c.Key}", timeZone = "Asia/Shanghai" })),
        new("GET /api/sites", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/sites")) { ShowsForeign = true },
        new("GET /api/sites/{siteId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/sites/{c.W.SiteB}")),
        new("POST /api/sites/{siteId}/rooms", Of.SiteB, "201 404 403 403 403 401",
            c => Post($"/api/sites/{c.W.SiteB}/rooms", new { code = $"R-{c.Key}", name = "Room", areaM2 = "10" })),
        new("GET /api/sites/{siteId}/rooms", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/sites/{c.W.SiteB}/rooms")) { ShowsForeign = true },

        // Tenants: a site-scoped user sees a tenant with an account in their sites (or none yet)
        new("POST /api/tenants", Of.Nothing, "201 201 403 403 403 401", c => Post("/api/tenants", new { name = $"Tenant {c.Key}", phone = "13900000000" })),
        new("GET /api/tenants/{tenantId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/tenants/{c.W.TenantB}")) { ShowsForeign = true },
        new("GET /api/tenants/{tenantId}", Of.TenantA2, "200 200 200 200 403 401", c => Get($"/api/tenants/{c.W.TenantA2}")) { ShowsForeign = true },

        // Tariffs
        new("POST /api/tariffs", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/tariffs", new
        {
            siteId = c.W.SiteB, name = $"T {c.Key}", utility = "electricity",
            versions = new[] { new { effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "flat", price = "1.0000" } },
        })),
        new("GET /api/tariffs", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/tariffs")) { ShowsForeign = true },
        new("GET /api/tariffs/{tariffId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/tariffs/{c.W.TariffB}")),
        new("POST /api/tariffs/{tariffId}/versions", Of.SiteB, "200 404 403 403 403 401", c => Post($"/api/tariffs/{c.W.TariffB}/versions",
            new { version = new { effectiveFrom = "2027-01-01T00:00:00+08:00", kind = "flat", price = "1.0000" } })),

        // Meters
        new("POST /api/meters", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/meters", new { siteId = c.W.SiteB, serial = $"M-{c.Key}", utility = "electricity" })),
        new("GET /api/meters", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/meters")) { ShowsForeign = true },
        new("GET /api/meters", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/meters?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("GET /api/meters/{meterId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}")),
        new("GET /api/meters/{meterId}/readings", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}/readings")),
        new("GET /api/meters/{meterId}/readings", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}/readings?from=2026-01-01&format=csv"))
            { Case = "csv export" },

        // Devices: gateways, buses, connections (hole 2: an operator of A rewiring B's meter to a server of their own)
        new("POST /api/gateways", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/gateways",
            new { siteId = c.W.SiteB, name = $"gw-{c.Key}", protocol = "modbusTcp", host = "127.0.0.1", port = 1502 })),
        new("GET /api/gateways", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/gateways")) { ShowsForeign = true },
        new("GET /api/gateways", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/gateways?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("POST /api/gateways/{gatewayId}/buses", Of.SiteB, "201 404 403 403 403 401", c => Post($"/api/gateways/{c.W.GatewayB}/buses", new { name = $"bus-{c.Key}" })),
        new("GET /api/buses", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/buses")) { ShowsForeign = true },
        new("GET /api/buses", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/buses?gatewayId={c.W.GatewayB}")) { Case = "?gatewayId=B's", ShowsForeign = true },
        new("PUT /api/meters/{meterId}/connection", Of.SiteB, "200 404 403 403 403 401", c => new("PUT", $"/api/meters/{c.W.MeterB1}/connection",
            new { busId = c.W.BusB, address = "2", profile = "generic-modbus" })) { Case = "B's meter on B's bus" },
        new("PUT /api/meters/{meterId}/connection", Of.SiteB, "400 400 403 403 403 401", c => new("PUT", $"/api/meters/{c.W.MeterA2}/connection",
            new { busId = c.W.BusB, address = "3", profile = "generic-modbus" })) { Case = "A's meter on B's bus" },
        new("GET /api/meter-profiles", Of.Nothing, "200 200 200 200 403 401", c => Get("/api/meter-profiles")),
        new("GET /api/device-alarms", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/device-alarms")) { ShowsForeign = true },
        new("GET /api/device-alarms", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/device-alarms?meterId={c.W.MeterB1}")) { Case = "?meterId=B-1", ShowsForeign = true },
        new("GET /api/meters/{meterId}/device-status", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}/device-status")),
        // The same requests on site A: the scoped users' own wiring still works.
        new("POST /api/gateways", Of.Nothing, "201 201 403 403 403 401", c => Post("/api/gateways",
            new { siteId = c.W.SiteA, name = $"gw-{c.Key}", protocol = "modbusTcp", host = "127.0.0.1", port = 1502 })) { Case = "site A" },
        new("POST /api/gateways/{gatewayId}/buses", Of.Nothing, "201 201 403 403 403 401", c => Post($"/api/gateways/{c.W.GatewayA}/buses", new { name = $"bus-{c.Key}" }))
            { Case = "site A" },
        new("PUT /api/meters/{meterId}/connection", Of.Nothing, "200 200 403 403 403 401", c => new("PUT", $"/api/meters/{c.W.MeterA2}/connection",
            new { busId = c.W.BusA, address = "2", profile = "generic-modbus" })) { Case = "A's meter on A's bus" },
        new("GET /api/meters/{meterId}/device-status", Of.Nothing, "200 200 200 200 403 401", c => Get($"/api/meters/{c.W.MeterA1}/device-status")) { Case = "site A" },

        // Devices: commands and batches
        new("POST /api/meters/{meterId}/commands", Of.SiteB, "201 404 403 403 403 401", c => Post($"/api/meters/{c.W.MeterB1}/commands", new { kind = "keepOn" })),
        new("GET /api/meters/{meterId}/commands", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}/commands")),
        new("GET /api/commands/{commandId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/commands/{c.W.CommandB}")),
        new("GET /api/commands/{commandId}", Of.Nothing, "200 200 200 200 403 401", c => Get($"/api/commands/{c.W.CommandA}")) { Case = "site A" },
        // A batch naming a meter outside the scope is refused like one naming an unknown meter.
        new("POST /api/batches", Of.SiteB, "201 400 403 403 403 401", c => Post("/api/batches", new { meterIds = new[] { c.W.MeterB1 }, command = new { kind = "keepOn" } })),
        new("GET /api/batches/{batchId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/batches/{c.W.BatchB}")),

        // NB-IoT platform callbacks: anonymous, authenticated by the gateway's callback token only
        new("POST /api/nbiot/{gatewayId}/iotda", Of.SiteB, "401 401 401 401 401 401",
            c => new("POST", $"/api/nbiot/{c.W.NbGatewayB}/iotda?token=guessed", Content: () => IotdaReport("dev-bn"))) { Case = "a wrong token" },
        new("POST /api/nbiot/{gatewayId}/iotda", Of.SiteB, "401 401 401 401 401 401",
            c => new("POST", $"/api/nbiot/{c.W.NbGatewayB}/iotda", Content: () => IotdaReport("dev-bn"))) { Case = "no token" },
        new("POST /api/nbiot/{gatewayId}/ctwing", Of.SiteB, "401 401 401 401 401 401",
            c => new("POST", $"/api/nbiot/{c.W.NbGatewayB}/ctwing?token={ScopedWorld.NbIotCallbackToken}", Content: () => IotdaReport("dev-bn")))
            { Case = "the IoTDA gateway's token on the CTWing path" },

        // Accounts
        new("POST /api/accounts", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/accounts", OpenOn(c.W.TenantB, c.W.MeterB2, c.W.TariffB)))
            { Case = "B's tenant on B's meter" },
        new("POST /api/accounts", Of.SiteB, "- 404 403 403 403 401", c => Post("/api/accounts", OpenOn(c.W.TenantB, c.W.MeterA2, c.W.TariffA)))
            { Case = "B's tenant on A's meter" },
        new("POST /api/accounts", Of.Nothing, "- 201 403 403 403 401", c => Post("/api/accounts", OpenOn(c.W.TenantA2, c.W.MeterA2, c.W.TariffA)))
            { Case = "A's tenant on A's meter (the same request, in scope)" },
        new("GET /api/accounts", Of.SiteB, "200 200 200 200 200 401", c => Get("/api/accounts")) { ShowsForeign = true },
        new("GET /api/accounts", Of.SiteB, "200 200 200 200 200 401", c => Get($"/api/accounts?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("GET /api/accounts", Of.TenantA2, "200 200 200 200 200 401", c => Get($"/api/accounts?tenantId={c.W.TenantA2}")) { Case = "?tenantId=A2", ShowsForeign = true },
        new("GET /api/accounts/{accountId}", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}")),
        new("GET /api/accounts/{accountId}", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}")),
        new("GET /api/accounts/{accountId}/ledger", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/ledger")),
        new("GET /api/accounts/{accountId}/ledger", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/ledger")),
        new("GET /api/accounts/{accountId}", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}")) { Case = "the tenant's own" },
        new("GET /api/accounts/{accountId}/ledger", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}/ledger")) { Case = "the tenant's own" },
        new("PUT /api/accounts/{accountId}", Of.SiteB, "200 404 403 403 403 401", c => new("PUT", $"/api/accounts/{c.W.AccountB}", new { alarm1 = "25.00" })),
        new("PUT /api/accounts/{accountId}", Of.TenantA2, "200 200 403 403 403 401", c => new("PUT", $"/api/accounts/{c.W.AccountA2}", new { alarm1 = "25.00" })),
        new("GET /api/accounts/{accountId}/consumption", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/consumption")),
        new("GET /api/accounts/{accountId}/consumption", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/consumption")),
        new("GET /api/accounts/{accountId}/statements", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/statements?group=day")),
        new("GET /api/accounts/{accountId}/statements", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/statements")),
        new("GET /api/accounts/{accountId}/statements", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}/statements?group=month"))
            { Case = "the tenant's own" },
        new("GET /api/accounts/{accountId}/statements", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/statements?period=2026&group=month&format=pdf"))
            { Case = "as PDF" },
        new("GET /api/accounts/{accountId}/statements", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/statements?format=xlsx")) { Case = "as xlsx" },
        new("POST /api/statements/runs", Of.SiteB, "200 404 403 403 403 401", c => Post("/api/statements/runs", new { siteId = c.W.SiteB, year = 2026 })),
        new("POST /api/statements/runs", Of.Nothing, "200 200 403 403 403 401", c => Post("/api/statements/runs", new { siteId = c.W.SiteA, year = 2026, format = "xlsx" }))
            { Case = "the caller's own site" },
        new("POST /api/accounts/{accountId}/topups", Of.SiteB, "201 404 404 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountB}/topups", new { amount = "1.00", channel = "cash" }, c.Key)),
        new("POST /api/accounts/{accountId}/topups", Of.TenantA2, "201 201 201 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountA2}/topups", new { amount = "1.00", channel = "cash" }, c.Key)),

        // Payment orders and refunds of an account; auditors change nothing, not even a pending order
        new("POST /api/accounts/{accountId}/payments", Of.SiteB, "201 404 404 403 404 401",
            c => Post($"/api/accounts/{c.W.AccountB}/payments", new { amount = "5.00", channel = "alipay", method = "qr" })),
        new("POST /api/accounts/{accountId}/payments", Of.TenantA2, "201 201 201 403 404 401",
            c => Post($"/api/accounts/{c.W.AccountA2}/payments", new { amount = "5.00", channel = "alipay", method = "qr" })),
        new("GET /api/accounts/{accountId}/payments", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/payments")),
        new("GET /api/accounts/{accountId}/payments", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/payments")),
        new("GET /api/accounts/{accountId}/payments/{outTradeNo}", Of.SiteB, "200 404 404 200 404 401",
            c => Get($"/api/accounts/{c.W.AccountB}/payments/{c.W.OrderB}")),
        new("GET /api/accounts/{accountId}/payments/{outTradeNo}", Of.TenantA2, "200 200 200 200 404 401",
            c => Get($"/api/accounts/{c.W.AccountA2}/payments/{c.W.OrderA2}")),
        new("POST /api/accounts/{accountId}/payments", Of.Nothing, "201 201 201 403 201 401",
            c => Post($"/api/accounts/{c.W.AccountA}/payments", new { amount = "5.00", channel = "alipay", method = "qr" })) { Case = "the tenant's own" },
        new("GET /api/accounts/{accountId}/payments/{outTradeNo}", Of.Nothing, "200 200 200 200 200 401",
            c => Get($"/api/accounts/{c.W.AccountA}/payments/{c.W.OrderA}")) { Case = "the tenant's own" },
        new("GET /api/accounts/{accountId}/payments/{outTradeNo}", Of.SiteB, "404 404 404 404 404 401",
            c => Get($"/api/accounts/{c.W.AccountA}/payments/{c.W.OrderB}")) { Case = "B's order under A's account" },
        new("POST /api/accounts/{accountId}/refunds", Of.SiteB, "201 404 404 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountB}/refunds", new { outTradeNo = c.W.OrderB, amount = "1.00" }, c.Key)),
        new("POST /api/accounts/{accountId}/refunds", Of.TenantA2, "201 201 201 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountA2}/refunds", new { outTradeNo = c.W.OrderA2, amount = "1.00" }, c.Key)),
        new("GET /api/accounts/{accountId}/refunds", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/refunds")),
        new("GET /api/accounts/{accountId}/refunds", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/refunds")),
        new("GET /api/accounts/{accountId}/refunds", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}/refunds")) { Case = "the tenant's own" },

        // Tenancy: move-out (R26), meter swaps (R27), recurring charges (R28), deposits (R29)
        new("POST /api/accounts/{accountId}/close", Of.SiteB, "200 404 403 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountBToClose}/close", new { at = "2026-11-02T08:00:00+08:00", settle = "cash" })),
        new("POST /api/accounts/{accountId}/close", Of.Nothing, "200 200 403 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountAToClose}/close", new { at = "2026-11-02T08:00:00+08:00", settle = "cash" })) { Case = "site A (the operator repeats the admin's close)" },
        new("GET /api/accounts/{accountId}/closure", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountBClosed}/closure")) { ShowsForeign = true },
        new("GET /api/sites/{siteId}/tenancies", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/sites/{c.W.SiteB}/tenancies")) { ShowsForeign = true },
        new("POST /api/meters/{meterId}/replace", Of.SiteB, "201 404 403 403 403 401", c => Post($"/api/meters/{c.W.MeterB5}/replace", new
        {
            at = "2026-11-02T08:00:00+08:00", finalReading = new { registers = new { total = "1" } }, newMeter = new { serial = $"N-{c.Key}" },
            initialReading = new { registers = new { total = "0" } },
        })),
        new("GET /api/meters/{meterId}/replacements", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB5}/replacements")),
        new("POST /api/charges", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/charges", new
        {
            accountId = c.W.AccountB, kind = "serviceFee", name = $"Fee {c.Key}", amount = "0.01", period = "month", dueDay = 1, from = D,
        })),
        new("POST /api/charges", Of.TenantA2, "201 201 403 403 403 401", c => Post("/api/charges", new
        {
            accountId = c.W.AccountA2, kind = "serviceFee", name = $"Fee {c.Key}", amount = "0.01", period = "month", dueDay = 1, from = D,
        })),
        new("GET /api/accounts/{accountId}/charges", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/charges")) { ShowsForeign = true },
        new("GET /api/accounts/{accountId}/charges", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/charges")) { ShowsForeign = true },
        new("GET /api/accounts/{accountId}/charges", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}/charges")) { Case = "the tenant's own" },
        new("DELETE /api/charges/{chargeId}", Of.SiteB, "200 404 403 403 403 401", c => new("DELETE", $"/api/charges/{c.W.ChargeB}")),
        new("DELETE /api/charges/{chargeId}", Of.TenantA2, "- 200 403 403 403 401", c => new("DELETE", $"/api/charges/{c.W.ChargeA}")) { Case = "site A" },
        new("POST /api/charges/run", Of.SiteB, "200 200 403 403 403 401", c => Post("/api/charges/run", new { at = "2026-11-02T08:00:00+08:00" })),
        new("POST /api/accounts/{accountId}/deposits", Of.SiteB, "201 404 404 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountB}/deposits", new { amount = "1.00", channel = "cash" }, c.Key)),
        new("POST /api/accounts/{accountId}/deposits", Of.TenantA2, "201 201 201 403 403 401",
            c => Post($"/api/accounts/{c.W.AccountA2}/deposits", new { amount = "1.00", channel = "cash" }, c.Key)),
        new("GET /api/accounts/{accountId}/deposits", Of.SiteB, "200 404 404 200 404 401", c => Get($"/api/accounts/{c.W.AccountB}/deposits")),
        new("GET /api/accounts/{accountId}/deposits", Of.TenantA2, "200 200 200 200 404 401", c => Get($"/api/accounts/{c.W.AccountA2}/deposits")),
        new("GET /api/accounts/{accountId}/deposits", Of.Nothing, "200 200 200 200 200 401", c => Get($"/api/accounts/{c.W.AccountA}/deposits")) { Case = "the tenant's own" },

        // Readings: a batch naming a meter outside the scope is refused like an unknown meter (and kept, as every refused batch)
        new("POST /api/readings", Of.SiteB, "200 400 403 403 403 401",
            c => Post("/api/readings", new[] { new { meterId = c.W.MeterB1, at = "2026-11-02T10:00:00+08:00", registers = new { total = "101" } } }))
            { Case = "by meter id", Evidence = ["reading_rejects"] },
        new("POST /api/readings", Of.SiteB, "200 400 403 403 403 401",
            c => Post("/api/readings", new[] { new { serial = "B-1", at = "2026-11-02T10:30:00+08:00", registers = new { total = "102" } } }))
            { Case = "by serial", Evidence = ["reading_rejects"] },
        new("GET /api/readings/rejects", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/readings/rejects")) { ShowsForeign = true },
        // R31 imports: another site's serial is unknown to a scoped operator (ManualReadingTests); the report is its importer's.
        new("POST /api/readings/import", Of.SiteB, "200 - 403 403 403 401",
            c => new("POST", "/api/readings/import", Content: () => CsvFile("serial,at,total\nB-1,2026-11-02T10:45:00+08:00,103\n"))) { Case = "B's meter" },
        new("POST /api/readings/import", Of.Nothing, "200 200 403 403 403 401",
            c => new("POST", "/api/readings/import", Content: () => CsvFile("serial,at,total\nA-1,2026-11-02T10:45:00+08:00,101\n"))) { Case = "A's meter" },
        new("GET /api/readings/imports/{importId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/readings/imports/{c.W.ImportB}")) { ShowsForeign = true },
        // R30 estimates, limits, the service journal, every alarm in one list
        new("POST /api/meters/{meterId}/estimates", Of.SiteB, "422 404 403 403 403 401", c => Post($"/api/meters/{c.W.MeterB1}/estimates", new { day = "2026-11-01" })),
        new("PUT /api/meters/{meterId}/limits", Of.SiteB, "200 404 403 403 403 401", c => new("PUT", $"/api/meters/{c.W.MeterB1}/limits", new { overloadLimit = "9.000" })),
        new("POST /api/meters/{meterId}/service-entries", Of.SiteB, "201 404 403 403 403 401",
            c => Post($"/api/meters/{c.W.MeterB1}/service-entries", new { kind = "repair", day = "2026-11-02" })),
        new("GET /api/meters/{meterId}/service-entries", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/meters/{c.W.MeterB1}/service-entries")) { ShowsForeign = true },
        new("GET /api/service-entries", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/service-entries")) { ShowsForeign = true },
        new("GET /api/service-entries", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/service-entries?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("GET /api/alarms", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/alarms")) { ShowsForeign = true },
        new("GET /api/alarms", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/alarms?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("POST /api/readings/held/{meterId}/accept", Of.SiteB, "409 404 403 403 403 401", c => Post($"/api/readings/held/{c.W.MeterB1}/accept")),
        new("POST /api/readings/held/{meterId}/reject", Of.SiteB, "409 404 403 403 403 401", c => Post($"/api/readings/held/{c.W.MeterB1}/reject")),

        // Apportionments
        new("POST /api/apportionments", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/apportionments", new
        {
            siteId = c.W.SiteB, masterMeterId = c.W.MasterB, tariffId = c.W.TariffB, kind = "common", method = "equal", shares = new[] { new { accountId = c.W.AccountB } },
        })) { Case = "a rule of site B" },
        new("POST /api/apportionments", Of.SiteB, "400 400 403 403 403 401", c => Post("/api/apportionments", new
        {
            siteId = c.W.SiteA, masterMeterId = c.W.MasterA, tariffId = c.W.TariffA, kind = "common", method = "equal", shares = new[] { new { accountId = c.W.AccountB } },
        })) { Case = "a rule of site A sharing onto B's account" },
        new("GET /api/apportionments", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/apportionments")) { ShowsForeign = true },
        // The admin is past the scope check and refused by the rules: the master meter has no reading yet.
        new("POST /api/apportionments/{ruleId}/runs", Of.SiteB, "422 404 403 403 403 401",
            c => Post($"/api/apportionments/{c.W.RuleB}/runs", new { from = "2026-11-01T00:00:00+08:00", to = "2026-11-02T00:00:00+08:00" })),
        new("GET /api/apportionments/{ruleId}/runs", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/apportionments/{c.W.RuleB}/runs")),

        // Heat allocation (R34): the admin's run is of another period than the world's, and moves no money
        new("POST /api/heat-allocations", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/heat-allocations", new
        {
            siteId = c.W.SiteB, from = "2026-09-01T00:00:00+08:00", to = "2026-10-01T00:00:00+08:00", quantity = "10", totalCost = "0.00", ur = "0.6",
            flats = new[] { new { accountId = c.W.AccountB, areaM2 = "20" } },
        })) { Case = "a run of site B" },
        new("GET /api/heat-allocations", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/heat-allocations?siteId={c.W.SiteB}")) { ShowsForeign = true },
        new("GET /api/heat-allocations/{allocationId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/heat-allocations/{c.W.HeatB}")) { ShowsForeign = true },
        new("GET /api/sites/{siteId}/heat-settings", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/sites/{c.W.SiteB}/heat-settings")) { ShowsForeign = true },
        new("PUT /api/sites/{siteId}/heat-settings", Of.SiteB, "200 404 403 403 403 401",
            c => new("PUT", $"/api/sites/{c.W.SiteB}/heat-settings", new { ur = "0.7", correctionFactor = "2" })),
        // Building: circuits (R32) and compensations (R35)
        new("POST /api/circuits", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/circuits", new { siteId = c.W.SiteB, masterMeterId = c.W.MasterB, subMeterIds = new[] { c.W.MeterB1 } })),
        new("POST /api/circuits", Of.SiteB, "400 400 403 403 403 401", c => Post("/api/circuits", new { siteId = c.W.SiteA, masterMeterId = c.W.MasterA, subMeterIds = new[] { c.W.MeterB1 } }))
            { Case = "B's meter in A's circuit" },
        new("GET /api/circuits", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/circuits")) { ShowsForeign = true },
        new("GET /api/circuits/{circuitId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/circuits/{c.W.CircuitB}")),
        new("GET /api/circuits/{circuitId}/balance", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/circuits/{c.W.CircuitB}/balance?from=2026-11-01&to=2026-11-03")),
        new("DELETE /api/circuits/{circuitId}", Of.SiteB, "204 404 403 403 403 401", c => new("DELETE", $"/api/circuits/{c.W.SpareCircuitB}")),
        new("POST /api/compensations", Of.SiteB, "201 404 403 403 403 401", c => Post("/api/compensations",
            new { siteId = c.W.SiteB, utility = "water", from = "2026-09-01", to = "2026-10-01", utilityBill = "0.00" })),
        new("POST /api/compensations/preview", Of.SiteB, "200 404 404 200 403 401", c => Post("/api/compensations/preview",
            new { siteId = c.W.SiteB, utility = "electricity", from = "2026-11-01", to = "2026-11-02", utilityBill = "10.00" })) { Writes = false },
        new("GET /api/compensations", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/compensations")) { ShowsForeign = true },

        // Outbox
        new("GET /api/outbox", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/outbox")) { ShowsForeign = true },
        new("GET /api/notifications", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/notifications")) { ShowsForeign = true },
        new("GET /api/notifications", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/notifications?siteId={c.W.SiteB}")) { Case = "?siteId=B", ShowsForeign = true },
        new("POST /api/outbox/{id}/consumed", Of.SiteB, "204 404 403 403 403 401", c => Post($"/api/outbox/{c.W.OutboxB}/consumed")),

        // Dashboard
        new("GET /api/dashboard/meters", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/dashboard/meters?siteId={c.W.SiteB}")) { Case = "?siteId=B" },
        new("GET /api/dashboard/meters", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/dashboard/meters")) { ShowsForeign = true },
        // Helpdesk: the tenant's own requests (another tenant's, or another site's, answer 404); staff scoped to their sites:
        // everyone reads, cashiers also comment, admins and operators assign, close and reopen
        new("POST /api/me/requests", Of.Nothing, "403 403 403 403 201 401", c => Post("/api/me/requests", new { category = "leak", text = $"Leak {c.Key}", accountId = c.W.AccountA })),
        new("POST /api/me/requests", Of.TenantA2, "403 403 403 403 404 401", c => Post("/api/me/requests", new { category = "leak", text = "x", accountId = c.W.AccountA2 }))
            { Case = "the other tenant's account" },
        new("POST /api/me/requests", Of.SiteB, "403 403 403 403 404 401", c => Post("/api/me/requests", new { category = "leak", text = "x", siteId = c.W.SiteB }))
            { Case = "a site without an account of the tenant" },
        new("GET /api/me/requests", Of.TenantA2, "403 403 403 403 200 401", c => Get("/api/me/requests")),
        new("GET /api/me/requests/{requestId}", Of.Nothing, "403 403 403 403 200 401", c => Get($"/api/me/requests/{c.W.RequestA}")) { Case = "the tenant's own" },
        new("GET /api/me/requests/{requestId}", Of.TenantA2, "403 403 403 403 404 401", c => Get($"/api/me/requests/{c.W.RequestA2}")),
        new("GET /api/me/requests/{requestId}", Of.SiteB, "403 403 403 403 404 401", c => Get($"/api/me/requests/{c.W.RequestB}")),
        new("GET /api/me/requests/{requestId}/photo", Of.Nothing, "403 403 403 403 200 401", c => Get($"/api/me/requests/{c.W.RequestA}/photo")) { Case = "the tenant's own" },
        new("GET /api/me/requests/{requestId}/photo", Of.TenantA2, "403 403 403 403 404 401", c => Get($"/api/me/requests/{c.W.RequestA2}/photo")),
        new("POST /api/me/requests/{requestId}/comments", Of.TenantA2, "403 403 403 403 404 401", c => Post($"/api/me/requests/{c.W.RequestA2}/comments", new { text = "mine?" })),
        new("POST /api/me/requests/{requestId}/comments", Of.Nothing, "403 403 403 403 201 401", c => Post($"/api/me/requests/{c.W.RequestA}/comments", new { text = "Any news?" }))
            { Case = "the tenant's own" },
        new("GET /api/requests", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/requests")) { ShowsForeign = true },
        new("GET /api/requests", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/requests?siteId={c.W.SiteB}&state=open")) { Case = "?siteId=B", ShowsForeign = true },
        new("GET /api/requests/assignees", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/requests/assignees?siteId={c.W.SiteB}")),
        new("GET /api/requests/{requestId}", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/requests/{c.W.RequestB}")) { ShowsForeign = true },
        new("GET /api/requests/{requestId}/photo", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/requests/{c.W.RequestB}/photo")),
        new("POST /api/requests/{requestId}/assign", Of.SiteB, "200 404 403 403 403 401", c => Post($"/api/requests/{c.W.RequestB}/assign", new { userId = 1 })),
        new("POST /api/requests/{requestId}/assign", Of.Nothing, "- 200 403 403 403 401", c => Post($"/api/requests/{c.W.RequestA}/assign", new { userId = c.W.OperatorUserId }))
            { Case = "site A's, to its operator" },
        new("POST /api/requests/{requestId}/comments", Of.SiteB, "201 404 404 403 403 401", c => Post($"/api/requests/{c.W.RequestB}/comments", new { text = "On it.", @internal = true })),
        new("POST /api/requests/{requestId}/comments", Of.Nothing, "201 201 201 403 403 401", c => Post($"/api/requests/{c.W.RequestA}/comments", new { text = "On it." }))
            { Case = "site A's" },
        new("POST /api/requests/{requestId}/close", Of.SiteB, "200 404 403 403 403 401", c => Post($"/api/requests/{c.W.RequestB}/close", new { note = "Fixed." })),
        new("POST /api/requests/{requestId}/reopen", Of.SiteB, "200 404 403 403 403 401", c => Post($"/api/requests/{c.W.RequestB}/reopen")),
        new("POST /api/requests/{requestId}/close", Of.Nothing, "- 200 403 403 403 401", c => Post($"/api/requests/{c.W.RequestA}/close")) { Case = "site A's" },
        new("POST /api/requests/{requestId}/reopen", Of.Nothing, "- 200 403 403 403 401", c => Post($"/api/requests/{c.W.RequestA}/reopen")) { Case = "site A's" },

        new("GET /api/dashboard/overview", Of.SiteB, "200 404 404 200 403 401", c => Get($"/api/dashboard/overview?siteId={c.W.SiteB}")) { Case = "?siteId=B" },
        new("GET /api/dashboard/overview", Of.Nothing, "200 200 200 200 403 401", c => Get("/api/dashboard/overview")),

        // Reports, each by site B and over every site the caller sees (JSON and xlsx)
        .. Reports(),

        // Payments: orders of every account, the channels' notifications (anonymous: the signature authenticates)
        new("GET /api/payments/orders", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/payments/orders")) { ShowsForeign = true },
        new("POST /api/payments/alipay/notify", Of.SiteB, "200 200 200 200 200 200",
            c => new("POST", "/api/payments/alipay/notify", Content: () => new FormUrlEncodedContent(Tampered(c.W.OrderBNotification))))
            { Case = "B's notification with the amount raised", Writes = false, Evidence = ["payment_notifications"] },
        new("POST /api/payments/alipay/notify", Of.SiteB, "200 200 200 200 200 200",
            c => new("POST", "/api/payments/alipay/notify", Content: () => new FormUrlEncodedContent(c.W.OrderBNotification)))
            { Case = "B's genuine notification replayed", Writes = false, Evidence = ["payment_notifications"] },
        new("POST /api/payments/wechat/notify", Of.SiteB, "400 400 400 400 400 400",
            c => new("POST", "/api/payments/wechat/notify", Content: () => ScopedWorld.ForgedWeChat(c.W.OrderB)))
            { Case = "unsigned", Writes = false, Evidence = ["payment_notifications"] },
        new("GET /api/payments/notifications", Of.SiteB, "200 200 200 200 403 401", c => Get("/api/payments/notifications?raw=true")) { ShowsForeign = true },

        // Reconciliation covers every site's orders of a channel's day: only admins run it; a site-scoped reader sees the rows of their sites
        new("POST /api/payments/reconciliations", Of.Nothing, "201 403 403 403 403 401", c => Post("/api/payments/reconciliations", new { channel = "alipay", day = D })),
        new("GET /api/payments/reconciliations", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/payments/reconciliations?channel=alipay&day={D}"))
            { ShowsForeign = true },
        new("GET /api/payments/reconciliations", Of.SiteB, "200 200 200 200 403 401", c => Get($"/api/payments/reconciliations?channel=alipay&day={D}&format=xlsx"))
            { Case = "xlsx", ShowsForeign = true },

        // Public by design: the web app's pages and its fallbacks, the API reference and document, the hub's door
        new("GET /", Of.Nothing, "200 200 200 200 200 200", c => Get("/")),
        new("ANY /m/{*path:nonfile}", Of.Nothing, "200 200 200 200 200 200", c => Get("/m/accounts")) { Case = "a phone-page route" },
        new("ANY /{*path:nonfile}", Of.Nothing, "200 200 200 200 200 200", c => Get("/meters/grid")) { Case = "a dashboard route" },
        new("ANY /{*path:nonfile}", Of.Nothing, "404 404 404 404 404 404", c => Post("/api/no-such-thing")) { Case = "an unknown API path", Writes = false },
        new("GET /openapi/{documentName}.json", Of.Nothing, "200 200 200 200 200 200", c => Get("/openapi/v1.json")),
        new("GET /api-docs/{documentName?}", Of.Nothing, "200 200 200 200 200 200", c => Get("/api-docs")),
        new("GET /api-docs/favicon.svg", Of.Nothing, "200 200 200 200 200 200", c => Get("/api-docs/favicon.svg")),
        new("GET /api-docs/scalar.aspnetcore.js", Of.Nothing, "200 200 200 200 200 200", c => Get("/api-docs/scalar.aspnetcore.js")),
        new("GET /api-docs/scalar.js", Of.Nothing, "200 200 200 200 200 200", c => Get("/api-docs/scalar.js")),
        // Signing in to the hub: what a connection may watch and hear is HubAuthorizationTests' matter.
        new("ANY /hubs/dashboard/negotiate", Of.Nothing, "200 200 200 200 200 401", c => Post("/hubs/dashboard/negotiate?negotiateVersion=1")) { Writes = false },
        new("ANY /hubs/dashboard", Of.Nothing, "400 400 400 400 400 401", c => Get("/hubs/dashboard")) { Case = "no connection id" },

        // The demo's fake wallet page (mapped only with the fake channels, left out of the OpenAPI document)
        new("GET /demo/pay/{outTradeNo}", Of.Nothing, "404 404 404 404 404 404", c => Get("/demo/pay/PP-unknown")) { Case = "an unknown order" },
        new("POST /demo/pay/{outTradeNo}", Of.Nothing, "404 404 404 404 404 404", c => Post("/demo/pay/PP-unknown")) { Case = "an unknown order", Writes = false },
    ];

    static IEnumerable<Row> Reports()
    {
        foreach (var name in Prepaid.Api.Reports.ReportsApi.Names)
        {
            yield return new("GET /api/reports/{name}", Of.SiteB, "200 404 404 200 403 401",
                c => Get($"/api/reports/{name}?siteId={c.W.SiteB}&from=2026-11-01&to=2026-11-03")) { Case = $"{name} ?siteId=B" };
            yield return new("GET /api/reports/{name}", Of.SiteB, "200 200 200 200 403 401",
                c => Get($"/api/reports/{name}?from=2026-11-01&to=2026-11-03")) { Case = $"{name} of every site", ShowsForeign = true };
        }
        yield return new("GET /api/reports/{name}", Of.SiteB, "200 200 200 200 403 401",
            c => Get("/api/reports/sales?from=2026-11-01&to=2026-11-03&format=xlsx")) { Case = "sales of every site, xlsx", ShowsForeign = true };
    }

    static HttpContent CsvFile(string text) =>
        new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", "readings.csv" } };

    static object OpenOn(long tenantId, long meterId, long tariffId) => new
    {
        tenantId, alarm1 = "20.00", alarm2 = "10.00",
        meters = new[] { new { meterId, tariffId, openingReading = new { at = "2026-11-02T08:00:00+08:00", registers = new { total = "5" } } } },
    };

    static HttpContent IotdaReport(string deviceId) => new StringContent(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["resource"] = "device.property", ["event"] = "report",
        ["notify_data"] = new Dictionary<string, object>
        {
            ["header"] = new Dictionary<string, string> { ["device_id"] = deviceId },
            ["body"] = new { services = new[] { new Dictionary<string, object>
            {
                ["service_id"] = "meter", ["event_time"] = "20261102T010000Z", ["properties"] = new { total = "999.00", relay = "closed" },
            } } },
        },
    }), System.Text.Encoding.UTF8, "application/json");

    /// <summary>The notification's fields with the amount changed after signing.</summary>
    static IEnumerable<KeyValuePair<string, string>> Tampered(IEnumerable<KeyValuePair<string, string>> fields) =>
        fields.Select(f => f.Key is "total_amount" or "receipt_amount" or "buyer_pay_amount" ? new KeyValuePair<string, string>(f.Key, "3000.00") : f);
}
