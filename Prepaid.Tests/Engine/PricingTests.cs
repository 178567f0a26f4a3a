using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class PricingTests
{
    [Fact] // R10
    public void Price_Flat_QuantityTimesPrice()
    {
        var priced = Pricing.Price(Request(Flat(0.6853m), Cst(2026, 3, 1), Cst(2026, 3, 2), 12.34m));

        Assert.Equal(8.456602m, priced.Cost);
        var line = Assert.Single(priced.Lines);
        Assert.Equal(new PriceLine(Cst(2026, 3, 1), Cst(2026, 3, 2), "flat", 12.34m, 0.6853m, 8.456602m), line);
    }

    [Fact] // R14: register delta × multiplier, then priced
    public void Price_DeltaOfCtMeter_PricedAfterMultiplier()
    {
        var meter = new MeterSpec(Utility.Electricity, 40m, 1_000_000m, 16.56m, 0.01m);
        var verdict = ReadingCheck.Evaluate(meter, Cst(2026, 3, 1), new Registers(100.00m), Cst(2026, 3, 1, 1), new Registers(101.25m));

        var priced = Pricing.Price(Request(Flat(0.6853m), Cst(2026, 3, 1), Cst(2026, 3, 1, 1), verdict.Quantity));

        Assert.Equal(50.00m, verdict.Quantity);
        Assert.Equal(34.265m, priced.Cost);
        Assert.Equal(Money.FromYuan(34.27m), Money.Round(priced.Cost)); // R4: rounded only where it posts
    }

    [Fact] // R12: 18 h at the old price, 6 h at the new one, at constant power
    public void Price_PriceChangeMidInterval_SplitInProportionToTime()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(LongAgo, 0.50m), new FlatVersion(Cst(2026, 3, 1, 18), 0.60m)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 24.00m));

        Assert.Equal(
        [
            new PriceLine(Cst(2026, 3, 1), Cst(2026, 3, 1, 18), "flat", 18.00m, 0.50m, 9.00m),
            new PriceLine(Cst(2026, 3, 1, 18), Cst(2026, 3, 2), "flat", 6.00m, 0.60m, 3.60m),
        ], priced.Lines);
        Assert.Equal(12.60m, priced.Cost);
    }

    [Fact] // R12: a third does not divide evenly; the last piece takes the rest, and the cost divides once (R1)
    public void Price_PriceChangeAfterOneOfThreeHours_PiecesAddUpExactly()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(LongAgo, 0.50m), new FlatVersion(Cst(2026, 3, 1, 1), 0.60m)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 1, 3), 10.00m));

        Assert.Equal([3.3333333333m, 6.6666666667m], priced.Lines.Select(l => l.Quantity));
        Assert.Equal(10.00m, priced.Lines.Sum(l => l.Quantity));
        Assert.Equal(17m / 3m, priced.Cost); // 10 × (0.50 × 1 h + 0.60 × 2 h) / 3 h
    }

    [Fact] // R12: two changes inside one interval
    public void Price_TwoPriceChanges_ThreePieces()
    {
        var tariff = new Tariff(Utility.Electricity,
            [new FlatVersion(LongAgo, 0.5m), new FlatVersion(Cst(2026, 3, 1, 6), 0.6m), new FlatVersion(Cst(2026, 3, 1, 12), 0.7m)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 48m));

        Assert.Equal([12m, 12m, 24m], priced.Lines.Select(l => l.Quantity));
        Assert.Equal(12m * 0.5m + 12m * 0.6m + 24m * 0.7m, priced.Cost);
    }

    [Fact] // R12: a price effective after the interval never applies backwards
    public void Price_VersionEffectiveAfterTheInterval_NotApplied()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(LongAgo, 0.5m), new FlatVersion(Cst(2026, 3, 2), 9m)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 10m));

        Assert.Equal(5m, priced.Cost);
        Assert.Single(priced.Lines);
    }

    [Fact] // R12: the latest version effective at From holds, earlier ones are ignored
    public void Price_SeveralVersionsBeforeFrom_LatestApplies()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(LongAgo, 0.5m), new FlatVersion(Cst(2026, 2, 1), 0.6m)]);

        Assert.Equal(6m, Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 10m)).Cost);
    }

    [Fact] // R12: versions arrive in any order
    public void Price_VersionsUnsorted_SortedByEffectiveFrom()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(Cst(2026, 2, 1), 0.6m), new FlatVersion(LongAgo, 0.5m)]);

        Assert.Equal(6m, Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 10m)).Cost);
    }

    [Fact] // R12
    public void Price_NoVersionEffectiveAtFrom_Throws()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(Cst(2026, 3, 1, 12), 0.5m)]);

        Assert.Throws<InvalidOperationException>(() => Pricing.Price(Request(tariff, Cst(2026, 3, 1), Cst(2026, 3, 2), 10m)));
    }

    [Fact]
    public void Price_ToBeforeFrom_Throws() =>
        Assert.Throws<ArgumentException>(() => Pricing.Price(Request(Flat(0.5m), Cst(2026, 3, 2), Cst(2026, 3, 1), 1m)));

    [Fact]
    public void Price_NegativeQuantity_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pricing.Price(Request(Flat(0.5m), Cst(2026, 3, 1), Cst(2026, 3, 2), -1m)));

    [Fact] // R10: an interval of no length still prices its quantity at From
    public void Price_ZeroLengthInterval_PricedAtFrom()
    {
        var priced = Pricing.Price(Request(Flat(0.5m), Cst(2026, 3, 1), Cst(2026, 3, 1), 2m));

        Assert.Equal(new PriceLine(Cst(2026, 3, 1), Cst(2026, 3, 1), "flat", 2m, 0.5m, 1m), Assert.Single(priced.Lines));
    }

    [Fact] // R10
    public void Price_ZeroQuantity_NoCostNoLines()
    {
        var priced = Pricing.Price(Request(Flat(0.5m), Cst(2026, 3, 1), Cst(2026, 3, 2), 0m));

        Assert.Equal(0m, priced.Cost);
        Assert.Empty(priced.Lines);
    }

    [Fact] // R1 + R12: 0.9050 until 10:00, 0.5000 after; 1 kWh from 09:40 to 10:40 is 0.635 exactly, divided once: posts 0.64
    public void Price_PriceChangeAfterAThirdOfTheInterval_DividedOnceExactHalfRoundsUp_R1()
    {
        var tariff = new Tariff(Utility.Electricity, [new FlatVersion(LongAgo, 0.9050m), new FlatVersion(Cst(2026, 3, 1, 10), 0.5000m)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 1, 9, 40), Cst(2026, 3, 1, 10, 40), 1m));

        Assert.Equal(0.635m, priced.Cost);
        Assert.Equal(new Money(64), Money.Round(priced.Cost));
    }
}
