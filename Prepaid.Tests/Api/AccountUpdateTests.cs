using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>PUT /api/accounts/{id}: thresholds, keep-on, fee rate and a meter's tariff, changed by an operator.</summary>
public class AccountUpdateTests
{
    sealed record Shop(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Meter, long Flat1, long Flat2, long Account) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>A shop on a flat 1.0000 tariff opened at 100 kWh on 2 Nov 08:00 with 30.00; a second flat tariff at 2.0000.</summary>
    static async Task<Shop> ShopAsync(object? friendlyCutoff = null, string? now = null)
    {
        var app = new PrepaidApp();
        if (now is not null) app.Time.SetUtcNow(DateTimeOffset.Parse(now)); // tokens last 12 hours
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(friendlyCutoff);
        var flat1 = await site.FlatTariffAsync("1.0000");
        var flat2 = await site.FlatTariffAsync("2.0000");
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, flat1, "100")], "2026-11-02T08:00:00+08:00")).Id();
        await site.TopUpAsync(account, "30.00", "upd-1");
        return new Shop(app, admin, site, meter, flat1, flat2, account);
    }

    static async Task<JsonElement> PutOkAsync(HttpClient client, string url, object body)
    {
        var response = await client.PutAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {url} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    static async Task AssertLedgerHoldsAsync(HttpClient admin)
    {
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.ToString());
    }

    [Fact] // R16: raising alarm 1 above the balance of 30.00 makes the account alarm 1 at once, with the balance unchanged
    public async Task Thresholds_Raised_StateDerivedAgain_R16()
    {
        using var s = await ShopAsync();
        var a = await PutOkAsync(s.Admin, $"/api/accounts/{s.Account}", new { alarm1 = "40.00", alarm2 = "15.00", serviceFeeRate = "0.05" });
        Assert.Equal("alarm1", a.Str("state"));
        Assert.Equal("30.00", a.Str("balance"));
        Assert.Equal("40.00", a.Str("alarm1"));
        Assert.Equal("15.00", a.Str("alarm2"));
        Assert.Equal("0.05", a.Str("serviceFeeRate"));
        // The new fee rate applies to the next top-up (R15): 100.00 credits 95.00.
        var topUp = await s.Site.TopUpAsync(s.Account, "100.00", "upd-2");
        Assert.Equal("95.00", topUp.Str("credited"));
        var grid = (await s.Admin.GetOkAsync($"/api/dashboard/meters?siteId={s.Site.SiteId}")).EnumerateArray().Single();
        Assert.Equal("normal", grid.Str("accountState"));
        await AssertLedgerHoldsAsync(s.Admin);
    }

    [Fact] // R12 and the stated rule: a new tariff prices from the meter's last billed reading on; nothing billed is priced again
    public async Task Tariff_Changed_NextDeltaOnTheNewTariff_PastUntouched()
    {
        using var s = await ShopAsync();
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-02T09:00:00+08:00", registers = new { total = "110" } }); // 10 × 1.00
        Assert.Equal("20.00", await s.Site.BalanceAsync(s.Account));
        s.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T09:30:00+08:00"));
        var a = await PutOkAsync(s.Admin, $"/api/accounts/{s.Account}", new { meters = new[] { new { meterId = s.Meter, tariffId = s.Flat2 } } });
        Assert.Equal(s.Flat2, a.GetProperty("meters")[0].GetProperty("tariffId").GetInt64());
        Assert.Equal("20.00", a.Str("balance"));
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-02T10:00:00+08:00", registers = new { total = "115" } }); // 5 × 2.00
        Assert.Equal("10.00", await s.Site.BalanceAsync(s.Account));
        var ledger = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/ledger")).EnumerateArray().Where(p => p.Str("kind") == "consumption").ToList();
        Assert.Equal(["-10.00", "-10.00"], ledger.Select(p => p.Str("amount")).ToArray());

        await using var db = new SqliteConnection($"Data Source={s.App.DatabasePath};Mode=ReadOnly");
        var change = await db.QuerySingleAsync<(long UserId, string BeforeJson, string AfterJson)>(
            "SELECT user_id, before_json, after_json FROM account_changes WHERE account_id = @Account", new { s.Account });
        Assert.Equal(s.Flat1, JsonDocument.Parse(change.BeforeJson).RootElement.GetProperty("meters")[0].GetProperty("tariffId").GetInt64());
        var after = JsonDocument.Parse(change.AfterJson).RootElement.GetProperty("meters")[0];
        Assert.Equal(s.Flat2, after.GetProperty("tariffId").GetInt64());
        Assert.Equal("2026-11-02T09:00:00.000+08:00", after.Str("fromReadingAt"));
        await AssertLedgerHoldsAsync(s.Admin);
    }

    [Fact] // R16: removing the overdraft at 23:00 puts the account in arrears; the trip waits for the window's end (07:00), and the grid says so
    public async Task Overdraft_RemovedAtNight_ArrearsWithATripWaitingUntil07_R16()
    {
        using var s = await ShopAsync(new { nightFrom = "22:00", nightTo = "07:00" }, "2026-11-02T12:00:00+08:00");
        await PutOkAsync(s.Admin, $"/api/accounts/{s.Account}", new { overdraft = "50.00" });
        await s.Site.ReadingsAsync(new { meterId = s.Meter, at = "2026-11-02T11:00:00+08:00", registers = new { total = "140" } }); // −10.00
        Assert.Equal("alarm2", (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}")).Str("state"));
        s.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:00:00+08:00"));

        var a = await PutOkAsync(s.Admin, $"/api/accounts/{s.Account}", new { overdraft = "0.00" });
        Assert.Equal("arrears", a.Str("state"));
        Assert.Equal("trip", a.Str("lastSwitchRequested"));
        var trips = (await s.Admin.GetOkAsync("/api/outbox?kind=switchRequested")).EnumerateArray().ToList();
        var trip = Assert.Single(trips);
        Assert.Contains("\"action\":\"trip\"", trip.ToString());
        var row = (await s.Admin.GetOkAsync($"/api/dashboard/meters?siteId={s.Site.SiteId}")).EnumerateArray().Single();
        Assert.Equal("2026-11-03T07:00:00.000+08:00", row.Str("supplyCutAt"));

        // Keep-on (保电) now: the waiting trip no longer shows, and a close is asked so the supply stays on.
        a = await PutOkAsync(s.Admin, $"/api/accounts/{s.Account}", new { keepOn = true });
        Assert.True(a.GetProperty("keepOn").GetBoolean());
        Assert.Equal("close", a.Str("lastSwitchRequested"));
        row = (await s.Admin.GetOkAsync($"/api/dashboard/meters?siteId={s.Site.SiteId}")).EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, row.GetProperty("supplyCutAt").ValueKind);
        Assert.True(row.GetProperty("keepOn").GetBoolean());
        await AssertLedgerHoldsAsync(s.Admin);
    }

    [Fact] // Bad input names the field and writes nothing
    public async Task BadInput_400NamingTheField_NothingWritten()
    {
        using var s = await ShopAsync();
        var water = await s.Site.FlatTariffAsync("3.0000", utility: "water");
        var other = await s.Site.MeterAsync("E-2");
        var before = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);
        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { alarm2 = "35.00" }, "alarm2"),
                     (new { alarm1 = "5.00" }, "alarm1"),
                     (new { overdraft = "-1.00" }, "overdraft"),
                     (new { serviceFeeRate = "1.5" }, "serviceFeeRate"),
                     (new { alarm1 = "abc" }, "alarm1"),
                     (new { meters = new[] { new { meterId = s.Meter, tariffId = water } } }, "meters[0].tariffId"),
                     (new { meters = new[] { new { meterId = other, tariffId = s.Flat2 } } }, "meters[0].meterId"),
                 })
        {
            var response = await s.Admin.PutAsJsonAsync($"/api/accounts/{s.Account}", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, (await response.ReadJsonAsync()).ErrorFields());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.PutAsJsonAsync("/api/accounts/999", new { alarm1 = "10.00" })).StatusCode);
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(before));
    }
}
