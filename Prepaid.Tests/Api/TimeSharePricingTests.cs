using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>R1 through POST /api/readings: a meter without period registers on a TOU tariff, its delta shared by time.</summary>
public class TimeSharePricingTests
{
    static async Task<(PrepaidApp App, SiteBuilder Site, long Account)> ShopAsync(object prices, object[] segments, string openedAt)
    {
        var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-03T00:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = (await admin.PostOkAsync("/api/tariffs", new
        {
            siteId = site.SiteId, name = "TOU", utility = "electricity", catalogPrice = (string?)null,
            versions = new[] { new { effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou", prices, segments } },
        })).Id();
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "100.00")], openedAt)).Id();
        return (app, site, account);
    }

    [Fact] // R1: 1 kWh over ⅓ h of peak at 0.9050 and ⅔ h of flat at 0.5000 is exactly 0.635 and posts 0.64
    public async Task Reading_ThirdOfAnHourPeakTwoThirdsFlat_Debits064_R1()
    {
        var (app, site, account) = await ShopAsync(
            new { sharp = "1.2000", peak = "0.9050", flat = "0.5000", valley = "0.3000" },
            [new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "10:00", period = "peak" }, new { from = "10:00", to = "00:00", period = "flat" }],
            "2026-11-02T09:40:00+08:00");
        using var _ = app;

        var result = await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-02T10:40:00+08:00", registers = new { total = "101.00" } });

        Assert.Equal("billed", result[0].Str("status"));
        Assert.Equal("0.64", result[0].Str("amount"));
        Assert.Equal("-0.64", await site.BalanceAsync(account));
    }

    [Fact] // R1: 1 kWh over 1 h each of valley (0.3100), flat (0.6200) and peak (0.9750) is 1.905 / 3 = 0.635 and posts 0.64
    public async Task Reading_OneHourEachOfValleyFlatPeak_Debits064_R1()
    {
        var (app, site, account) = await ShopAsync(
            new { sharp = "1.2000", peak = "0.9750", flat = "0.6200", valley = "0.3100" },
            [new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "09:00", period = "flat" }, new { from = "09:00", to = "00:00", period = "peak" }],
            "2026-11-02T07:00:00+08:00");
        using var _ = app;

        var result = await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-02T10:00:00+08:00", registers = new { total = "101.00" } });

        Assert.Equal("0.64", result[0].Str("amount"));
        Assert.Equal("-0.64", await site.BalanceAsync(account));
    }
}
