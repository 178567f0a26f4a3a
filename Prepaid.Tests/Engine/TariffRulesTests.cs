using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class TariffRulesTests
{
    private static readonly DateTimeOffset Jan = Cst(2026, 1, 1);

    private static Tariff One(TariffVersion version, Utility utility = Utility.Electricity) => new(utility, [version]);

    private static TouVersion TouOf(params TouSegment[] segments) => new(Jan, TouPrices, segments);

    private static TouSegment Seg(int fromHour, int toHour, Period period) => new(new(fromHour, 0), new(toHour, 0), period);

    private static IReadOnlyList<string> Fields(IReadOnlyList<TariffProblem> problems) => [.. problems.Select(p => p.Field)];

    [Fact] // R10, R3
    public void Validate_FlatWithFourDecimals_NoProblems() =>
        Assert.Empty(TariffRules.Validate(One(new FlatVersion(Jan, 0.6853m)), null));

    [Theory] // R3
    [InlineData("-0.01")]
    [InlineData("0.68531")]
    public void Validate_NegativeOrFiveDecimalPrice_ProblemAtPrice(string price)
    {
        var problems = TariffRules.Validate(One(new FlatVersion(Jan, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))), null);

        Assert.Equal(["versions[0].price"], Fields(problems));
    }

    [Fact]
    public void Validate_NoVersions_ProblemAtVersions() =>
        Assert.Equal(["versions"], Fields(TariffRules.Validate(new Tariff(Utility.Water, []), null)));

    [Fact] // R12: versions strictly ascending
    public void Validate_VersionsNotAscending_ProblemAtEffectiveFrom()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(Jan, 0.5m), new FlatVersion(Jan, 0.6m), new FlatVersion(Jan.AddDays(-1), 0.7m)]);

        Assert.Equal(["versions[1].effectiveFrom", "versions[2].effectiveFrom"], Fields(TariffRules.Validate(tariff, null)));
    }

    [Fact] // R11: the day covered once, with a valley wrapping midnight
    public void Validate_TouCoveringTheDayWithWrappingValley_NoProblems() =>
        Assert.Empty(TariffRules.Validate(Tou(), null));

    [Fact] // R11: one segment 00:00–00:00 is the whole day
    public void Validate_TouSingleWholeDaySegment_NoProblems() =>
        Assert.Empty(TariffRules.Validate(One(TouOf(Seg(0, 0, Period.Flat))), null));

    [Fact] // R11
    public void Validate_TouMissingPrice_ProblemAtThatPrice()
    {
        var prices = TouPrices.Where(p => p.Key != Period.Sharp).ToDictionary();

        var problems = TariffRules.Validate(One(new TouVersion(Jan, prices, [Seg(0, 0, Period.Flat)])), null);

        Assert.Equal(["versions[0].prices.sharp"], Fields(problems));
    }

    [Fact] // R11
    public void Validate_TouOverlappingSegments_ProblemAtTheLaterSegment()
    {
        var problems = TariffRules.Validate(One(TouOf(Seg(0, 8, Period.Valley), Seg(8, 12, Period.Peak), Seg(11, 0, Period.Flat))), null);

        var problem = Assert.Single(problems);
        Assert.Equal("versions[0].segments[2]", problem.Field);
        Assert.Contains("segments[1]", problem.Reason);
    }

    [Fact] // R11: a wrapping segment overlapping the morning
    public void Validate_TouWrappingSegmentOverlapsMorning_Problem()
    {
        var problems = TariffRules.Validate(One(TouOf(Seg(22, 7, Period.Valley), Seg(6, 22, Period.Flat))), null);

        Assert.Equal(["versions[0].segments[1]"], Fields(problems));
    }

    [Fact] // R11
    public void Validate_TouGapInTheMorning_ProblemNamesTheGap()
    {
        var problems = TariffRules.Validate(One(TouOf(Seg(0, 8, Period.Valley), Seg(9, 0, Period.Flat))), null);

        var problem = Assert.Single(problems);
        Assert.Equal("versions[0].segments", problem.Field);
        Assert.Contains("08:00–09:00", problem.Reason);
    }

    [Fact] // R11
    public void Validate_TouDayEndsEarly_ProblemNamesTheEveningGap()
    {
        var problems = TariffRules.Validate(One(TouOf(Seg(0, 22, Period.Flat))), null);

        Assert.Contains("22:00–24:00", Assert.Single(problems).Reason);
    }

    [Fact] // R11
    public void Validate_TouNoSegments_ProblemNamesTheWholeDay() =>
        Assert.Contains("00:00–24:00", Assert.Single(TariffRules.Validate(One(TouOf()), null)).Reason);

    [Fact] // R13
    public void Validate_GoodTiers_NoProblems() =>
        Assert.Empty(TariffRules.Validate(One(new TieredVersion(Jan, TierPeriod.Month, [new(200m, 0.5m), new(400m, 0.55m), new(null, 0.8m)])), null));

    [Fact] // R13
    public void Validate_TiersNotAscending_ProblemAtUpTo()
    {
        var problems = TariffRules.Validate(One(new TieredVersion(Jan, TierPeriod.Month, [new(200m, 0.5m), new(200m, 0.55m), new(null, 0.8m)])), null);

        Assert.Equal(["versions[0].tiers[1].upTo"], Fields(problems));
    }

    [Fact] // R13
    public void Validate_TierLimitNotPositive_ProblemAtUpTo() =>
        Assert.Equal(["versions[0].tiers[0].upTo"],
            Fields(TariffRules.Validate(One(new TieredVersion(Jan, TierPeriod.Year, [new(0m, 0.5m), new(null, 0.8m)])), null)));

    [Fact] // R13
    public void Validate_NullLimitBeforeLastAndLastLimited_ProblemsAtBoth()
    {
        var problems = TariffRules.Validate(One(new TieredVersion(Jan, TierPeriod.Month, [new(null, 0.5m), new(400m, 0.8m)])), null);

        Assert.Equal(["versions[0].tiers[0].upTo", "versions[0].tiers[1].upTo"], Fields(problems));
    }

    [Fact] // R13
    public void Validate_NoTiers_ProblemAtTiers() =>
        Assert.Equal(["versions[0].tiers"], Fields(TariffRules.Validate(One(new TieredVersion(Jan, TierPeriod.Month, [])), null)));

    [Theory] // R17: catalogue 0.5483 × 1.15 = 0.630545
    [InlineData("0.6305", false)]
    [InlineData("0.6306", true)]
    public void Validate_FlatPriceAgainstCap_CapProblemAboveIt(string price, bool capped)
    {
        var problems = TariffRules.Validate(One(new FlatVersion(Jan, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))), 0.5483m);

        if (!capped) Assert.Empty(problems);
        else
        {
            var problem = Assert.Single(problems);
            Assert.True(problem.IsPriceCap);
            Assert.Equal("versions[0].price", problem.Field);
        }
    }

    [Fact] // R17: every TOU and tier price is capped, not an average
    public void Validate_TouSharpAndTopTierAboveCap_EachFlagged()
    {
        var tariff = new Tariff(Utility.Electricity,
        [
            new TouVersion(Jan, TouPrices, TouDaySegments),
            new TieredVersion(Jan.AddDays(1), TierPeriod.Year, [new(2760m, 0.6m), new(null, 1.16m)]),
        ]);

        var problems = TariffRules.Validate(tariff, 1.0m);

        Assert.Equal(["versions[0].prices.sharp", "versions[1].tiers[1].price"], Fields(problems));
        Assert.All(problems, p => Assert.True(p.IsPriceCap));
    }

    [Fact] // R17 applies to electricity only
    public void Validate_WaterAboveCatalogue_NoCapProblem() =>
        Assert.Empty(TariffRules.Validate(One(new FlatVersion(Jan, 9m), Utility.Water), 1m));

    [Fact] // R17 needs a catalogue price
    public void Validate_NoCataloguePrice_NoCapProblem() =>
        Assert.Empty(TariffRules.Validate(One(new FlatVersion(Jan, 9m)), null));

    [Fact]
    public void Validate_NonPositiveCataloguePrice_ProblemAtCatalogPrice() =>
        Assert.Equal(["catalogPrice"], Fields(TariffRules.Validate(One(new FlatVersion(Jan, 0.5m)), -1m)));
}
