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
    static object TwoTiers(string upTo, string first, string second, string effectiveFrom = "2026-01-01T00:00:00+08:00") => new
    {
        effectiveFrom, kind = "tiered", period = "month",
        tiers = new object[] { new { upTo, price = first }, new { upTo = (string?)null, price = second } },
    };

    static object R(string serial, string at, string total) => new { serial, at, registers = new { total } };

    [Fact]
    public async Task Tiered_TwoMetersOfOneAccount_BillInTimeOrderAcrossMeters_WhateverTheBatching_R9a()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariffA = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "A", utility = "electricity", versions = new[] { TwoTiers("50", "0.5000", "1.0000") } })).Id();
        var tariffB = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "B", utility = "electricity", versions = new[] { TwoTiers("50", "0.3000", "0.6000") } })).Id();
        // Meter A has the lower id in each account, so an order by meter takes A first although B read earlier.
        var (a1, b1) = (await site.MeterAsync("A-1"), await site.MeterAsync("B-1"));
        var (a2, b2) = (await site.MeterAsync("A-2"), await site.MeterAsync("B-2"));
        var one = (await site.AccountAsync(await site.TenantAsync("One"), [(a1, tariffA, "0"), (b1, tariffB, "0")], "2026-07-01T00:00:00+08:00")).Id();
        var two = (await site.AccountAsync(await site.TenantAsync("Two", phone: "13800000002"), [(a2, tariffA, "0"), (b2, tariffB, "0")], "2026-07-01T00:00:00+08:00")).Id();
        await site.TopUpAsync(one, "200.00", "one");
        await site.TopUpAsync(two, "200.00", "two");

        var batch = await site.ReadingsAsync(R("A-1", "2026-07-04T12:00:00+08:00", "40"), R("B-1", "2026-07-03T12:00:00+08:00", "40"));
        await site.ReadingsAsync(R("B-2", "2026-07-03T12:00:00+08:00", "40"));
        await site.ReadingsAsync(R("A-2", "2026-07-04T12:00:00+08:00", "40"));

        // In time order: B's 40 kWh at 0.30 = 12.00; then A's 40: 10 left in tier 1 at 0.50 + 30 at 1.00 = 35.00.
        Assert.Equal(["35.00", "12.00"], batch.EnumerateArray().Select(r => r.Str("amount")).ToArray());
        Assert.Equal("153.00", await site.BalanceAsync(one));
        Assert.Equal("153.00", await site.BalanceAsync(two));
    }

    [Fact]
    public async Task Tiered_FirstTieredVersion_RebuildSplitsAReadingThatSpansTheMonthStartByTime_R13()
    {
        using var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-10T12:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.5000");
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-10-31T00:00:00+08:00")).Id();
        // Two days, one in October and one in November: live billing counts 90 kWh in each month.
        await site.ReadingsAsync(R("E-1", "2026-11-02T00:00:00+08:00", "180"));
        await admin.PostOkAsync($"/api/tariffs/{tariff}/versions", new { version = Tiered("2026-11-11T00:00:00+08:00") }, HttpStatusCode.OK);
        // 20 kWh in the tiered version: November has used 90 of tier 1's 100, so 10 at 0.50 + 10 at 1.00.
        var billed = (await site.ReadingsAsync(R("E-1", "2026-11-11T00:00:00+08:00", "180"), R("E-1", "2026-11-12T00:00:00+08:00", "200")))[1];
        Assert.Equal("15.00", billed.Str("amount"));
        Assert.Equal("-105.00", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task Tiered_UsageOfAPeriodYearsBack_IsCountedAndDoesNotBreakLaterBatches_R13()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = (await admin.PostOkAsync("/api/tariffs", new { siteId = site.SiteId, name = "Tiered", utility = "electricity", versions = new[] { Tiered("2024-01-01T00:00:00+08:00") } })).Id();
        var old = await site.MeterAsync("E-1");
        var fresh = await site.MeterAsync("E-2");
        var oldAccount = (await site.AccountAsync(await site.TenantAsync(), [(old, tariff, "0")], "2024-03-01T00:00:00+08:00")).Id();
        // March 2024 uses all 100 kWh of tier 1: a period key older than last year.
        Assert.Equal("50.00", (await site.ReadingsAsync(R("E-1", "2024-03-20T00:00:00+08:00", "100")))[0].Str("amount"));

        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-10T08:00:00+08:00"));
        var later = new SiteBuilder(await app.AdminAsync()); // tokens expire on the fake clock too
        var freshAccount = (await later.AccountAsync(await later.TenantAsync("Shop 102", phone: "13800000002"), [(fresh, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        var batch = await later.ReadingsAsync(R("E-1", "2026-11-10T00:00:00+08:00", "1065"), R("E-2", "2026-11-02T00:00:00+08:00", "10"));
        // 965 kWh over 965 days: 12 of them in March 2024, where tier 1 is used up (12 at 1.00), the other 953 at 0.50.
        Assert.Equal(["billed", "billed"], batch.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.Equal(["488.50", "5.00"], batch.EnumerateArray().Select(r => r.Str("amount")).ToArray());
        Assert.Equal("-538.50", await later.BalanceAsync(oldAccount));
        Assert.Equal("-5.00", await later.BalanceAsync(freshAccount));
    }
}
