using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Building;

public class CompensationTests
{
    sealed record World(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long[] Accounts) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>Three shops on a flat 1.0000 electricity tariff charged 10.00, 20.00 and 30.01 in November (and the first 5.00 more in December), each topped up with 100.00; today is 5 December.</summary>
    static async Task<World> WorldAsync()
    {
        var app = new PrepaidApp { Settings = { ["Prepaid:Devices:Background"] = "false" } };
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-05T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        string[] used = ["10.00", "20.00", "30.01"];
        var accounts = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var meter = await site.MeterAsync($"E-{i}");
            accounts[i] = (await site.AccountAsync(await site.TenantAsync($"Shop {i}", phone: $"1390000000{i}"), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
            await site.TopUpAsync(accounts[i], "100.00", $"comp-{i}");
        }
        await site.ReadingsAsync([.. used.Select((q, i) => (object)new { serial = $"E-{i}", at = "2026-11-20T12:00:00+08:00", registers = new { total = q } })]);
        // December's consumption is not November's: it is not counted.
        await site.ReadingsAsync(new { serial = "E-0", at = "2026-12-02T12:00:00+08:00", registers = new { total = "15.00" } });
        return new World(app, admin, site, accounts);
    }

    static object Bill(World w, string amount) => new { siteId = w.Site.SiteId, utility = "electricity", from = "2026-11-01", to = "2026-12-01", utilityBill = amount };

    static async Task AssertLedgerHoldsAsync(HttpClient admin)
    {
        var check = await admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.ToString());
    }

    [Fact] // R35: a bill of 70.00 against 60.01 charged posts 9.99 pro rata by largest remainder; the same request again posts nothing; R22 holds
    public async Task Bill_DifferencePostedProRata_OnceOnly_R35_R22()
    {
        using var w = await WorldAsync();
        var preview = await w.Admin.PostOkAsync("/api/compensations/preview", Bill(w, "70.00"), HttpStatusCode.OK);
        Assert.Equal(("60.01", "9.99", false), (preview.Str("charged"), preview.Str("difference"), preview.GetProperty("posted").GetBoolean()));
        Assert.Equal(["85.00", "80.00", "69.99"], await Task.WhenAll(w.Accounts.Select(w.Site.BalanceAsync)));

        var run = await w.Admin.PostOkAsync("/api/compensations", Bill(w, "70.00"));
        // 999 fen × 1000, 2000, 3001 / 6001 = 166.47…, 332.94…, 499.58… → floors 166 + 332 + 499 = 997; the 2 fen left go to .94 and .58
        var amounts = run.GetProperty("accounts").EnumerateArray().Select(a => (a.GetProperty("accountId").GetInt64(), a.Str("charged"), a.Str("amount"))).ToArray();
        Assert.Equal([(w.Accounts[0], "10.00", "1.66"), (w.Accounts[1], "20.00", "3.33"), (w.Accounts[2], "30.01", "5.00")], amounts);
        Assert.Equal(preview.GetProperty("accounts").GetRawText(), run.GetProperty("accounts").GetRawText());
        Assert.Equal(["83.34", "76.67", "64.99"], await Task.WhenAll(w.Accounts.Select(w.Site.BalanceAsync)));
        var ledger = await w.Admin.GetOkAsync($"/api/accounts/{w.Accounts[0]}/ledger");
        Assert.Contains(ledger.EnumerateArray(), p => p.TryGetProperty("key", out var k) && k.GetString() == $"compensation:{run.Id()}:{w.Accounts[0]}");

        var again = await w.Admin.PostOkAsync("/api/compensations", Bill(w, "70.00"), HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyRun").GetBoolean());
        Assert.Equal(["83.34", "76.67", "64.99"], await Task.WhenAll(w.Accounts.Select(w.Site.BalanceAsync)));
        Assert.Single((await w.Admin.GetOkAsync($"/api/compensations?siteId={w.Site.SiteId}")).EnumerateArray());
        await AssertLedgerHoldsAsync(w.Admin);
    }

    [Fact] // R36 over R35: the statement's compensation line names the bill, what all tenants and this account were charged, and the share
    public async Task StatementLine_OfACompensation_NamesTheBillTheChargesAndTheShare_R35_R36()
    {
        using var w = await WorldAsync();
        var run = await w.Admin.PostOkAsync("/api/compensations", Bill(w, "70.00"));

        var st = await w.Admin.GetOkAsync($"/api/accounts/{w.Accounts[2]}/statements?from=2026-12-01&to=2026-12-06");
        var line = Assert.Single(st.GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "compensation");
        var d = line.GetProperty("detail");
        Assert.Equal(run.Id(), d.GetProperty("compensationId").GetInt64());
        Assert.Equal(["electricity", "70.00", "60.01", "9.99", "30.01", "5.00"],
            new[] { d.Str("utility"), d.Str("utilityBill"), d.Str("charged"), d.Str("difference"), d.Str("accountCharged"), d.Str("amount") });
        Assert.Equal("-5.00", line.Str("amount"));
        Assert.Contains("the utility billed 70.00", line.Str("explanation"));
    }

    [Fact] // R35: a bill below what was charged credits the difference back, pro rata
    public async Task BillBelowCharged_CreditsBack_R35_R22()
    {
        using var w = await WorldAsync();
        var run = await w.Admin.PostOkAsync("/api/compensations", Bill(w, "50.00"));
        Assert.Equal("-10.01", run.Str("difference"));
        // 1001 fen × 1000, 2000, 3001 / 6001 = 166.80…, 333.61…, 500.58… → 166 + 333 + 500 = 999; the 2 fen left go to .80 and .61
        Assert.Equal(["-1.67", "-3.34", "-5.00"], run.GetProperty("accounts").EnumerateArray().Select(a => a.Str("amount")));
        Assert.Equal(["86.67", "83.34", "74.99"], await Task.WhenAll(w.Accounts.Select(w.Site.BalanceAsync)));
        await AssertLedgerHoldsAsync(w.Admin);
    }

    [Fact] // R35: another bill for a period already compensated, an overlapping period, a period not over, a utility nobody was charged for: refused, naming the field, nothing posted
    public async Task Refusals_NameTheField_PostNothing_R35()
    {
        using var w = await WorldAsync();
        await w.Admin.PostOkAsync("/api/compensations", Bill(w, "70.00"));
        async Task<(HttpStatusCode, string)> Refused(object body)
        {
            var response = await w.Admin.PostAsJsonAsync("/api/compensations", body);
            return (response.StatusCode, string.Join(",", (await response.ReadJsonAsync()).ErrorFields()));
        }
        Assert.Equal((HttpStatusCode.Conflict, "utilityBill"), await Refused(Bill(w, "71.00")));
        Assert.Equal((HttpStatusCode.Conflict, "from"), await Refused(new { siteId = w.Site.SiteId, utility = "electricity", from = "2026-11-15", to = "2026-12-03", utilityBill = "1.00" }));
        Assert.Equal((HttpStatusCode.BadRequest, "to"), await Refused(new { siteId = w.Site.SiteId, utility = "electricity", from = "2026-12-01", to = "2027-01-01", utilityBill = "1.00" }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "utilityBill"), await Refused(new { siteId = w.Site.SiteId, utility = "water", from = "2026-11-01", to = "2026-12-01", utilityBill = "1.00" }));
        Assert.Equal((HttpStatusCode.BadRequest, "utilityBill"), await Refused(new { siteId = w.Site.SiteId, utility = "electricity", from = "2026-10-01", to = "2026-11-01", utilityBill = "-1.00" }));
        Assert.Equal(["83.34", "76.67", "64.99"], await Task.WhenAll(w.Accounts.Select(w.Site.BalanceAsync)));
        await AssertLedgerHoldsAsync(w.Admin);
    }
}
