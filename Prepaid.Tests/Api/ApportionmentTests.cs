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

    /// <summary>
    /// Three shops of 10, 20 and 30 m² and a corridor master meter on a flat 1.0000 tariff. By default the master reads 0 on
    /// 1 Nov and 100 on 1 Dec 12:00; <paramref name="master"/> gives other readings, <paramref name="registerMax"/> sets
    /// where every meter wraps (R7), <paramref name="subOpenings"/> the sub-meters' opening totals.
    /// </summary>
    static async Task<Mall> MallAsync(object[]? master = null, string? registerMax = null, string[]? subOpenings = null)
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-05T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var masterId = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "MASTER", utility = "electricity", tariffId = tariff, ratedMaxPerHour = "1000", registerMax })).Id();
        var accounts = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var room = (await admin.PostOkAsync($"/api/sites/{site.SiteId}/rooms", new { code = $"R{i + 1}", name = $"Room {i + 1}", areaM2 = $"{(i + 1) * 10}" })).Id();
            var meter = (await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = $"S{i + 1}", utility = "electricity", registerMax })).Id();
            accounts[i] = (await admin.PostOkAsync("/api/accounts", new
            {
                tenantId = await site.TenantAsync($"Shop {i + 1}", phone: $"1390000000{i}"), roomId = room, alarm1 = "20.00", alarm2 = "10.00",
                meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = "2026-11-01T00:00:00+08:00", registers = new { total = subOpenings?[i] ?? "0" } } } },
            })).Id();
        }
        // The master meter: 0 at 1 Nov, 100 at 1 Dec 12:00; R18 interpolates 1 Dec 00:00 to 100 × 720/732.
        await site.ReadingsAsync(master ??
        [
            new { serial = "MASTER", at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } },
            new { serial = "MASTER", at = "2026-12-01T12:00:00+08:00", registers = new { total = "100" } },
        ]);
        return new Mall(app, admin, site, masterId, tariff, accounts);
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

    static object Reading(string serial, string at, string total) => new { serial, at, registers = new { total } };

    static string[] Amounts(System.Text.Json.JsonElement run) => [.. run.GetProperty("amounts").EnumerateArray().Select(a => a.Str("amount"))];

    [Fact] // R18: consumption weights interpolated at the period's end (5 and 3 kWh × 720/726) split 14.37 exactly as 5 : 3, 8.98 / 5.39
    public async Task CommonArea_ByInterpolatedConsumption_ExactLargestRemainder_R18()
    {
        using var m = await MallAsync(master:
        [
            Reading("MASTER", "2026-11-01T00:00:00+08:00", "0"), Reading("MASTER", "2026-12-01T00:00:00+08:00", "14.37"),
        ]);
        await m.Site.ReadingsAsync(Reading("S1", "2026-12-01T06:00:00+08:00", "5"), Reading("S2", "2026-12-01T06:00:00+08:00", "3"));
        var rule = await RuleAsync(m, "common", "consumption");

        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);

        // 1437 × 5/8 = 898.125 and 1437 × 3/8 = 538.875: the spare fen is the second shop's.
        Assert.Equal("14.37", run.Str("total"));
        Assert.Equal(["8.98", "5.39", "0.00"], Amounts(run));
    }

    [Fact] // R18a: a master meter that wraps (99,000.00 → 500.00, registerMax 100,000) consumed 1,500 kWh, apportioned by area
    public async Task CommonArea_MasterMeterRollsOver_QuantityUnwrapped_R18a()
    {
        using var m = await MallAsync(registerMax: "100000", master:
        [
            Reading("MASTER", "2026-11-01T00:00:00+08:00", "99000.00"), Reading("MASTER", "2026-12-01T00:00:00+08:00", "500.00"),
        ]);
        var rule = await RuleAsync(m, "common", "area");

        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);

        Assert.True(run.GetProperty("apportioned").GetBoolean());
        Assert.Equal("1500", run.Str("masterQuantity"));
        Assert.Equal("1500.00", run.Str("total"));
        Assert.Equal(["250.00", "500.00", "750.00"], Amounts(run));
    }

    [Fact] // R18a: the wrap lies between the readings around the period's start: the series is unwrapped before interpolating
    public async Task CommonArea_MasterWrapsAcrossPeriodStart_InterpolatedOnTheUnwrappedSeries_R18a()
    {
        // 98,800 on 31 Oct, 600 on 2 Nov (1,800 in two days, 37.5 kWh/h): 1 Nov 00:00 is 99,700; 1 Dec 00:00 is 2,600 + 100,000.
        using var m = await MallAsync(registerMax: "100000", master:
        [
            Reading("MASTER", "2026-10-31T00:00:00+08:00", "98800.00"), Reading("MASTER", "2026-11-02T00:00:00+08:00", "600.00"),
            Reading("MASTER", "2026-12-01T00:00:00+08:00", "2600.00"),
        ]);
        var rule = await RuleAsync(m, "common", "equal");

        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);

        Assert.Equal("2900", run.Str("masterQuantity"));
        Assert.Equal(["966.67", "966.67", "966.66"], Amounts(run));
    }

    [Fact] // R18a: a sub-meter that wraps (99,990 → 10) consumed 20 kWh and bears its share; its neighbours do not pay it
    public async Task CommonArea_SubMeterRollsOver_ConsumptionWeightUnwrapped_R18a()
    {
        using var m = await MallAsync(registerMax: "100000", subOpenings: ["99990", "0", "0"]);
        await m.Site.ReadingsAsync(
            Reading("S1", "2026-12-01T00:00:00+08:00", "10"), Reading("S2", "2026-12-01T00:00:00+08:00", "20"),
            Reading("S3", "2026-12-01T00:00:00+08:00", "60"));
        var rule = await RuleAsync(m, "common", "consumption");

        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);

        // 98.36 by 20 : 20 : 60 = 19.672, 19.672, 59.016: floors 1967, 1967, 5901 and the spare fen to the largest remainder.
        Assert.Equal("100", run.Str("subQuantity"));
        Assert.Equal(["19.67", "19.67", "59.02"], Amounts(run));
    }

    [Fact] // R18a + R19: a loss rule takes the wrapped sub-meter's 20 kWh, not its raw fall of 99,980, off the master's quantity
    public async Task Loss_SubMeterRollsOver_LossFromUnwrappedQuantities_R18a()
    {
        using var m = await MallAsync(registerMax: "100000", subOpenings: ["99990", "0", "0"]);
        await m.Site.ReadingsAsync(
            Reading("S1", "2026-12-01T00:00:00+08:00", "10"), Reading("S2", "2026-12-01T00:00:00+08:00", "20"),
            Reading("S3", "2026-12-01T00:00:00+08:00", "30"));
        var rule = await RuleAsync(m, "loss", "equal");

        var run = await m.Admin.PostOkAsync($"/api/apportionments/{rule}/runs", November, HttpStatusCode.OK);

        // 98.36… − 70 = 28.36… kWh, split three ways.
        Assert.Equal("70", run.Str("subQuantity"));
        Assert.Equal("28.36", run.Str("total"));
        Assert.Equal(["9.46", "9.45", "9.45"], Amounts(run));
    }
}
