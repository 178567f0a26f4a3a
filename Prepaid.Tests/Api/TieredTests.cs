using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class TieredTests
{
    static object Tiered(string effectiveFrom) => new
    {
        effectiveFrom, kind = "tiered", period = "month",
        tiers = new object[] { new { upTo = "100", price = "0.5000" }, new { upTo = (string?)null, price = "1.0000" } },
    };

    [Fact]
    public async Task Tiered_DeltaCrossingTheLimit_IsSplitAtTheLimit_R13()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "Tiered", utility = "electricity", versions = new[] { Tiered("2026-01-01T00:00:00+08:00") } })).Id();
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        // 80 kWh at 0.50 = 40.00; then 40 kWh: 20 at 0.50 + 20 at 1.00 = 30.00.
        var first = (await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-01T10:00:00+08:00", registers = new { total = "80" } }))[0];
        var second = (await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-01T20:00:00+08:00", registers = new { total = "120" } }))[0];
        Assert.Equal("40.00", first.Str("amount"));
        Assert.Equal("30.00", second.Str("amount"));
        Assert.Equal("-70.00", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task Tiered_AccountUsageCountsAllItsMeters_R13()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "Tiered", utility = "electricity", versions = new[] { Tiered("2026-01-01T00:00:00+08:00") } })).Id();
        var m1 = await site.MeterAsync("E-1");
        var m2 = await site.MeterAsync("E-2");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(m1, tariff, "0"), (m2, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-01T10:00:00+08:00", registers = new { total = "90" } });
        var second = (await site.ReadingsAsync(new { serial = "E-2", at = "2026-11-01T11:00:00+08:00", registers = new { total = "20" } }))[0];
        // Meter 2's 20 kWh: 10 left in tier 1 (5.00) + 10 in tier 2 (10.00).
        Assert.Equal("15.00", second.Str("amount"));
        Assert.Equal("-60.00", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task Tiered_VersionAddedMidMonth_CountsWhatWasBilledBeforeInTheMonth_R13()
    {
        using var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-10T12:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.5000");
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-10T00:00:00+08:00", registers = new { total = "90" } }); // 45.00 on the flat price
        await admin.PostOkAsync($"/api/tariffs/{tariff}/versions", new { version = Tiered("2026-11-11T00:00:00+08:00") }, HttpStatusCode.OK);
        // From the 11th: 20 kWh, of which 10 still in tier 1 (90 of 100 used this month) and 10 in tier 2.
        var billed = (await site.ReadingsAsync(
            new { serial = "E-1", at = "2026-11-11T00:00:00+08:00", registers = new { total = "90" } },
            new { serial = "E-1", at = "2026-11-12T00:00:00+08:00", registers = new { total = "110" } }))[1];
        Assert.Equal("15.00", billed.Str("amount"));
        Assert.Equal("-60.00", await site.BalanceAsync(account));
    }
}
