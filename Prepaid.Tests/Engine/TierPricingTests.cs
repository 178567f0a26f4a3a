using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

/// <summary>R13: monthly tiers 0–200 at 0.50, 200–400 at 0.55, above at 0.80; yearly 0–2760 at 0.4883, 2760–4800 at 0.5383, above at 0.7883.</summary>
public class TierPricingTests
{
    private static readonly Tariff Monthly = new(Utility.Electricity,
        [new TieredVersion(LongAgo, TierPeriod.Month, [new(200m, 0.50m), new(400m, 0.55m), new(null, 0.80m)])]);

    private static readonly Tariff Yearly = new(Utility.Electricity,
        [new TieredVersion(LongAgo, TierPeriod.Year, [new(2760m, 0.4883m), new(4800m, 0.5383m), new(null, 0.7883m)])]);

    private static TierUsage Usage(params (string Key, decimal Used)[] used) => new(used.ToDictionary(u => u.Key, u => u.Used));

    [Fact] // R13
    public void Price_WithinFirstTier_FirstTierPriceAndUsageGrows()
    {
        var priced = Pricing.Price(Request(Monthly, Cst(2026, 3, 2), Cst(2026, 3, 3), 150m));

        Assert.Equal(75m, priced.Cost);
        Assert.Equal("tier 1 2026-03", Assert.Single(priced.Lines).Label);
        Assert.Equal(150m, priced.UsageAfter.Used("2026-03"));
        Assert.Equal(150m, priced.UsageAfter.Used("2026"));
    }

    [Fact] // R13: 180 used, 50 more: 20 at tier 1, 30 at tier 2
    public void Price_CrossesFirstLimit_SplitAtTheLimit()
    {
        var priced = Pricing.Price(Request(Monthly, Cst(2026, 3, 2), Cst(2026, 3, 3), 50m, usage: Usage(("2026-03", 180m))));

        Assert.Equal([(20m, 0.50m), (30m, 0.55m)], priced.Lines.Select(l => (l.Quantity, l.Price)));
        Assert.Equal(26.5m, priced.Cost);
        Assert.Equal(230m, priced.UsageAfter.Used("2026-03"));
    }

    [Fact] // R13: 190 used, 300 more crosses both limits
    public void Price_CrossesTwoLimits_ThreeTierLines()
    {
        var priced = Pricing.Price(Request(Monthly, Cst(2026, 3, 2), Cst(2026, 3, 3), 300m, usage: Usage(("2026-03", 190m))));

        Assert.Equal([10m, 200m, 90m], priced.Lines.Select(l => l.Quantity));
        Assert.Equal(5m + 110m + 72m, priced.Cost);
    }

    [Fact] // R13: usage already beyond the last limit
    public void Price_UsageAboveAllLimits_TopTier()
    {
        var priced = Pricing.Price(Request(Monthly, Cst(2026, 3, 2), Cst(2026, 3, 3), 10m, usage: Usage(("2026-03", 999m))));

        Assert.Equal(8m, priced.Cost);
        Assert.Equal("tier 3 2026-03", Assert.Single(priced.Lines).Label);
    }

    [Fact] // R13: usage of another month does not count
    public void Price_UsageOfPreviousMonthOnly_StartsAtFirstTier() =>
        Assert.Equal(5m, Pricing.Price(Request(Monthly, Cst(2026, 3, 2), Cst(2026, 3, 3), 10m, usage: Usage(("2026-02", 999m)))).Cost);

    [Fact] // R13 + R12: 24 h across 1 April; 24 in March (190 used), 24 in April (fresh)
    public void Price_MonthlyTiersAcrossMonthBoundary_EachPartTieredInItsMonth()
    {
        var usage = Usage(("2026-03", 190m), ("2026", 500m));

        var priced = Pricing.Price(Request(Monthly, Cst(2026, 3, 31, 12), Cst(2026, 4, 1, 12), 48m, usage: usage));

        Assert.Equal(
        [
            new PriceLine(Cst(2026, 3, 31, 12), Cst(2026, 4, 1), "tier 1 2026-03", 10m, 0.50m, 5.00m),
            new PriceLine(Cst(2026, 3, 31, 12), Cst(2026, 4, 1), "tier 2 2026-03", 14m, 0.55m, 7.70m),
            new PriceLine(Cst(2026, 4, 1), Cst(2026, 4, 1, 12), "tier 1 2026-04", 24m, 0.50m, 12.00m),
        ], priced.Lines);
        Assert.Equal(24.7m, priced.Cost);
        Assert.Equal(214m, priced.UsageAfter.Used("2026-03"));
        Assert.Equal(24m, priced.UsageAfter.Used("2026-04"));
        Assert.Equal(548m, priced.UsageAfter.Used("2026"));
    }

    [Fact] // R13: the month boundary is local midnight in the site's zone, not UTC's
    public void Price_MonthBoundaryInSiteZone_SplitsAtLocalMidnight()
    {
        // 31 March 15:00 UTC → 1 April 03:00 UTC is 23:00 → 11:00 in Shanghai: 1 h in March, 11 h in April.
        var priced = Pricing.Price(Request(Monthly, Utc(2026, 3, 31, 15), Utc(2026, 4, 1, 3), 12m));

        Assert.Equal(1m, priced.UsageAfter.Used("2026-03"));
        Assert.Equal(11m, priced.UsageAfter.Used("2026-04"));
    }

    [Fact] // R13 + R12: 12 h across New Year; 60 in 2026 (2750 used), 60 in 2027
    public void Price_YearlyTiersAcrossYearBoundary_EachPartTieredInItsYear()
    {
        var priced = Pricing.Price(Request(Yearly, Cst(2026, 12, 31, 18), Cst(2027, 1, 1, 6), 120m, usage: Usage(("2026", 2750m))));

        Assert.Equal(["tier 1 2026", "tier 2 2026", "tier 1 2027"], priced.Lines.Select(l => l.Label));
        Assert.Equal([10m, 50m, 60m], priced.Lines.Select(l => l.Quantity));
        Assert.Equal(4.883m + 26.915m + 29.298m, priced.Cost); // 61.096
        Assert.Equal(2810m, priced.UsageAfter.Used("2026"));
        Assert.Equal(60m, priced.UsageAfter.Used("2027"));
        Assert.Equal(60m, priced.UsageAfter.Used("2027-01"));
    }

    [Fact] // R13: yearly tiers across a month boundary inside one year are tiered on the year's running total
    public void Price_YearlyTiersAcrossMonthBoundary_OneYearCount()
    {
        var priced = Pricing.Price(Request(Yearly, Cst(2026, 11, 30, 12), Cst(2026, 12, 1, 12), 48m, usage: Usage(("2026", 2750m))));

        Assert.Equal(
        [
            new PriceLine(Cst(2026, 11, 30, 12), Cst(2026, 12, 1), "tier 1 2026", 10m, 0.4883m, 4.883m), // all taken in November
            new PriceLine(Cst(2026, 11, 30, 12), Cst(2026, 12, 1, 12), "tier 2 2026", 38m, 0.5383m, 20.4554m),
        ], priced.Lines);
        Assert.Equal(24m, priced.UsageAfter.Used("2026-11"));
        Assert.Equal(24m, priced.UsageAfter.Used("2026-12"));
        Assert.Equal(2798m, priced.UsageAfter.Used("2026"));
    }

    [Fact] // R13: flat and TOU quantities are billed quantities too, so they count toward later tiers
    public void Price_FlatVersion_UsageStillCounted()
    {
        var priced = Pricing.Price(Request(Flat(0.5m), Cst(2026, 3, 2), Cst(2026, 3, 3), 7m, usage: Usage(("2026-03", 1m))));

        Assert.Equal(8m, priced.UsageAfter.Used("2026-03"));
        Assert.Equal(7m, priced.UsageAfter.Used("2026"));
    }

    [Fact] // R13 + R12: flat until 15 March 00:00, tiered after; the flat half counts toward the month's tiers
    public void Price_FlatThenTieredMidMonth_TieredPartStartsFromFlatUsage()
    {
        var tariff = new Tariff(Utility.Electricity,
        [
            new FlatVersion(LongAgo, 0.5m),
            new TieredVersion(Cst(2026, 3, 15), TierPeriod.Month, [new(200m, 0.50m), new(400m, 0.55m), new(null, 0.80m)]),
        ]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 14), Cst(2026, 3, 16), 100m, usage: Usage(("2026-03", 170m))));

        // 50 flat (usage → 220), then 50 in tier 2.
        Assert.Equal(["flat", "tier 2 2026-03"], priced.Lines.Select(l => l.Label));
        Assert.Equal(25m + 27.5m, priced.Cost);
        Assert.Equal(270m, priced.UsageAfter.Used("2026-03"));
    }

    [Fact]
    public void KeyOf_InstantNearMidnight_KeyOfLocalDate()
    {
        Assert.Equal("2026-04", TierUsage.KeyOf(TierPeriod.Month, Utc(2026, 3, 31, 16), Shanghai));
        Assert.Equal("2026-03", TierUsage.KeyOf(TierPeriod.Month, Utc(2026, 3, 31, 16), Berlin));
        Assert.Equal("2027", TierUsage.KeyOf(TierPeriod.Year, Utc(2026, 12, 31, 16), Shanghai));
    }

    [Fact] // R1 + R13: ⅓ of the interval in November (already above tier 1, 0.9050) and ⅔ in December (tier 1, 0.5000): 0.635, posts 0.64
    public void Price_TiersAcrossMonthAtAThird_DividedOnceExactHalfRoundsUp_R1()
    {
        var tariff = new Tariff(Utility.Electricity, [new TieredVersion(LongAgo, TierPeriod.Month, [new(100m, 0.5000m), new(null, 0.9050m)])]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 11, 30, 23, 40), Cst(2026, 12, 1, 0, 40), 1m, usage: Usage(("2026-11", 150m))));

        Assert.Equal(0.635m, priced.Cost);
        Assert.Equal(new Money(64), Money.Round(priced.Cost));
        // Usage still grows by exactly the quantity, in time shares.
        Assert.Equal(150.3333333333m, priced.UsageAfter.Used("2026-11"));
        Assert.Equal(0.6666666667m, priced.UsageAfter.Used("2026-12"));
    }

    [Fact] // R1 + R13: ⅔ of 1 kWh lands in a month with 0.5 left in tier 1: 0.5 at 0.5000 and the exact rest, ⅙, at 0.9400
    public void Price_TimeShareCrossesTierLimit_ExactRestAtNextTier_R1()
    {
        var tariff = new Tariff(Utility.Electricity,
            [new TieredVersion(LongAgo, TierPeriod.Month, [new(100m, 0.5000m), new(200m, 0.9400m), new(null, 1.0000m)])]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 11, 30, 23, 40), Cst(2026, 12, 1, 0, 40), 1m,
            usage: Usage(("2026-11", 250m), ("2026-12", 99.5m))));

        // November: ⅓ × 1.00 (tier 3); December: 0.5 × 0.50 + ⅙ × 0.94. Together 0.25 + (2 × 1.00 + 0.94) / 6 = 0.74.
        Assert.Equal(0.74m, priced.Cost);
        Assert.Equal([0.3333333333m, 0.5m, 0.1666666667m], priced.Lines.Select(l => l.Quantity));
    }
}
