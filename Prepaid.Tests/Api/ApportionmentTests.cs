using System.Net;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class ApportionmentTests
{
    sealed record Mall(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Master, long Tariff, long[] Accounts) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>Three shops of 10, 20 and 30 m² and a corridor master meter on a flat 1.0000 tariff.</summary>
    static async Task<Mall> MallAsync()
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-05T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var master = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "MASTER", utility = "electricity", tariffId = tariff, ratedMaxPerHour = "1000" })).Id();
        var accounts = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var room = (await admin.PostOkAsync($"/api/sites/{site.SiteId}/rooms", new { code = $"R{i + 1}", name = $"Room {i + 1}", areaM2 = $"{(i + 1) * 10}" })).Id();
            var meter = await site.MeterAsync($"S{i + 1}");
            accounts[i] = (await admin.PostOkAsync("/api/accounts", new
            {
                tenantId = await site.TenantAsync($"Shop {i + 1}", phone: $"1390000000{i}"), roomId = room, alarm1 = "20.00", alarm2 = "10.00",
                meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } } } },
            })).Id();
        }
        // The master meter: 0 at 1 Nov, 100 at 1 Dec 12:00; R18 interpolates 1 Dec 00:00 to 100 × 720/732.
        await site.ReadingsAsync(
            new { serial = "MASTER", at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } },
            new { serial = "MASTER", at = "2026-12-01T12:00:00+08:00", registers = new { total = "100" } });
        return new Mall(app, admin, site, master, tariff, accounts);
    }

    static async Task<long> RuleAsync(Mall m, string kind, string method, string?[]? weights = null) =>
        (await m.Admin.PostOkAsync("/api/apportionments", new
        {
            siteId = m.Site.SiteId, masterMeterId = m.Master, kind, method,
            shares = m.Accounts.Select((a, i) => new { accountId = a, weight = weights?[i] }),
        })).Id();

    static readonly object November = new { from = "2026-11-01T00:00:00+08:00", to = "2026-12-01T00:00:00+08:00" };

    [Fact]
    public async Task CommonArea_ByArea_InterpolatesMasterAndSplitsWithLargestRemainder_R18()
    {
        using var m = await MallAsync();
        var rule = await RuleAsync(m, "common", "area");
        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        // 100 × 720/732 = 98.3606… kWh → 98.36; split 1:2:3 = 16.393…, 32.786…, 49.180… → 16.39, 32.79, 49.18 (sum 98.36)
        Assert.Equal("98.36", run.Str("total"));
        Assert.Equal(["16.39", "32.79", "49.18"], run.GetProperty("amounts").EnumerateArray().Select(a => a.Str("amount")).ToArray());
        Assert.Equal(["-16.39", "-32.79", "-49.18"], await Task.WhenAll(m.Accounts.Select(m.Site.BalanceAsync)));
    }

    [Fact]
    public async Task CommonArea_SamePeriodTwice_PostsNothingTheSecondTime_R20()
    {
        using var m = await MallAsync();
        var rule = await RuleAsync(m, "common", "equal");
        var first = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        var again = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyRun").GetBoolean());
        Assert.Equal(first.GetProperty("amounts").GetRawText(), again.GetProperty("amounts").GetRawText());
        var balances = await Task.WhenAll(m.Accounts.Select(m.Site.BalanceAsync));
        Assert.Equal("-98.36", balances.Select(b => decimal.Parse(b)).Sum().ToString("0.00"));
    }

    [Fact]
    public async Task CommonArea_OverlappingPeriod_Answers409()
    {
        using var m = await MallAsync();
        var rule = await RuleAsync(m, "common", "equal");
        await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        var response = await m.Admin.PostAsync($"/api/apportionments/{rule}/runs",
            System.Net.Http.Json.JsonContent.Create(new { from = "2026-11-15T00:00:00+08:00", to = "2026-12-02T00:00:00+08:00" }));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Loss_MasterMinusSubMeters_IsApportionedByConsumption_R19()
    {
        using var m = await MallAsync();
        // Sub-meters consumed 10, 20 and 30 kWh by 1 Dec 00:00: loss = 98.36… − 60 = 38.36… kWh.
        await m.Site.ReadingsAsync(
            new { serial = "S1", at = "2026-12-01T00:00:00+08:00", registers = new { total = "10" } },
            new { serial = "S2", at = "2026-12-01T00:00:00+08:00", registers = new { total = "20" } },
            new { serial = "S3", at = "2026-12-01T00:00:00+08:00", registers = new { total = "30" } });
        var rule = await RuleAsync(m, "loss", "consumption");
        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        Assert.Equal("60", run.Str("subQuantity"));
        Assert.Equal("38.36", run.Str("total"));
        var amounts = run.GetProperty("amounts").EnumerateArray().Select(a => decimal.Parse(a.Str("amount"))).ToArray();
        Assert.Equal(38.36m, amounts.Sum());
        Assert.Equal([6.39m, 12.79m, 19.18m], amounts);
    }

    [Fact]
    public async Task Loss_Negative_IsReportedAndNotApportioned_R19()
    {
        using var m = await MallAsync();
        await m.Site.ReadingsAsync(new { serial = "S1", at = "2026-12-01T00:00:00+08:00", registers = new { total = "150" } });
        var rule = await RuleAsync(m, "loss", "equal");
        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);
        Assert.False(run.GetProperty("apportioned").GetBoolean());
        Assert.StartsWith("-", run.Str("quantity"));
        Assert.Equal(["0.00", "0.00"], (await Task.WhenAll(m.Accounts.Skip(1).Select(m.Site.BalanceAsync))));
    }

    [Fact]
    public async Task Rule_WeightsMethodWithoutWeights_Answers400()
    {
        using var m = await MallAsync();
        var response = await m.Admin.PostAsync("/api/apportionments", System.Net.Http.Json.JsonContent.Create(new
        {
            siteId = m.Site.SiteId, masterMeterId = m.Master, kind = "common", method = "weights", shares = m.Accounts.Select(a => new { accountId = a }),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
