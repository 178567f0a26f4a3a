using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

/// <summary>R11 (and R12 across DST): the standard day is 2 h sharp, 6 h peak, 8 h flat, 8 h valley (23:00–07:00).</summary>
public class TouPricingTests
{
    [Fact] // R11: each period register priced at its own price; total only checks
    public void Price_PeriodQuantities_EachAtItsPeriodPrice()
    {
        var periods = new Dictionary<Period, decimal> { [Period.Sharp] = 1m, [Period.Peak] = 3.5m, [Period.Flat] = 3m, [Period.Valley] = 2.5m };

        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2), Cst(2026, 3, 3), 10.01m, periods: periods));

        Assert.Equal(1m * 1.2m + 3.5m * 1.0m + 3m * 0.6m + 2.5m * 0.3m, priced.Cost); // 7.25
        Assert.Equal(["sharp", "peak", "flat", "valley"], priced.Lines.Select(l => l.Label));
        Assert.Equal(1.2m, priced.Lines[0].Cost);
    }

    [Fact] // R11: period registers ignore the clock; 3 h of peak time does not matter
    public void Price_PeriodQuantitiesInsidePeakHours_StillPricedPerRegister()
    {
        var periods = new Dictionary<Period, decimal> { [Period.Valley] = 2m };

        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 10), Cst(2026, 3, 2, 13), 2m, periods: periods));

        Assert.Equal(0.6m, priced.Cost);
    }

    [Fact] // R11: time split inside one segment
    public void Price_IntervalInsidePeak_AllPeak()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 10), Cst(2026, 3, 2, 12), 4m));

        Assert.Equal(new PriceLine(Cst(2026, 3, 2, 10), Cst(2026, 3, 2, 12), "peak", 4m, 1.0m, 4.0m), Assert.Single(priced.Lines));
    }

    [Fact] // R11: 22:00 → 08:00 crosses the valley segment that wraps midnight
    public void Price_OvernightThroughWrappingValley_SplitByTime()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 22), Cst(2026, 3, 3, 8), 10m));

        // flat 22–23 and 07–08: 2 h; valley 23–07: 8 h; 1 kWh an hour.
        Assert.Equal(2m, QuantityOf(priced, "flat"));
        Assert.Equal(8m, QuantityOf(priced, "valley"));
        Assert.Equal(2m * 0.6m + 8m * 0.3m, priced.Cost);
    }

    [Fact] // R11: whole days give each period its daily hours
    public void Price_ThreeWholeDays_PeriodsGetTheirHours()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2), Cst(2026, 3, 5), 72m));

        Assert.Equal([6m, 18m, 24m, 24m], priced.Lines.Select(l => l.Quantity));
        Assert.Equal(46.8m, priced.Cost);
    }

    [Fact] // R11: a delta spanning parts of three days
    public void Price_ThirtySixHoursFromEvening_SumsEverySegmentCrossed()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 20), Cst(2026, 3, 4, 8), 36m));

        // sharp 20–21 + 19–21; peak 10–15 + 18–19; flat 21–23, 07–10, 15–18, 21–23, 07–08; valley two nights.
        Assert.Equal(3m, QuantityOf(priced, "sharp"));
        Assert.Equal(6m, QuantityOf(priced, "peak"));
        Assert.Equal(11m, QuantityOf(priced, "flat"));
        Assert.Equal(16m, QuantityOf(priced, "valley"));
        Assert.Equal(21.0m, priced.Cost);
    }

    [Fact] // R11: uneven shares still add up to the quantity exactly
    public void Price_OneThirdFlatTwoThirdsPeak_SharesAddUpExactly()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 9), Cst(2026, 3, 2, 12), 10m));

        Assert.Equal(3.3333333333m, QuantityOf(priced, "flat"));
        Assert.Equal(6.6666666667m, QuantityOf(priced, "peak"));
        Assert.Equal(10m, priced.Lines.Sum(l => l.Quantity));
        Assert.Equal(26m / 3m, priced.Cost); // R1: 10 × (0.6 × 1 h + 1.0 × 2 h) / 3 h, divided once
    }

    [Fact] // R11 lines: one per period, spanning the interval the split covered
    public void Price_TimeSplit_LinesSpanTheInterval()
    {
        var priced = Pricing.Price(Request(Tou(), Cst(2026, 3, 2, 22), Cst(2026, 3, 3, 8), 10m));

        Assert.All(priced.Lines, l => Assert.Equal((Cst(2026, 3, 2, 22), Cst(2026, 3, 3, 8)), (l.From, l.To)));
    }

    [Fact] // R11 + R12: the TOU version changes segments at 06:00
    public void Price_TouVersionChangeOvernight_EachPartUsesItsOwnSegments()
    {
        var allFlat = new TouVersion(Cst(2026, 3, 3, 6), TouPrices, [new(new(0, 0), new(0, 0), Period.Flat)]);
        var tariff = new Tariff(Utility.Electricity, [new TouVersion(LongAgo, TouPrices, TouDaySegments), allFlat]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 2, 22), Cst(2026, 3, 3, 8), 10m));

        // Before 06:00: flat 22–23 (1 h), valley 23–06 (7 h); after: 2 h all flat.
        Assert.Equal(7m, QuantityOf(priced, "valley"));
        Assert.Equal(3m, QuantityOf(priced, "flat"));
        Assert.Equal(3, priced.Lines.Count); // flat and valley of the first version, flat of the second
    }

    // Berlin: valley 22:00–06:00, flat the rest.
    private static readonly Tariff BerlinNights = Tou(new(new(22, 0), new(6, 0), Period.Valley), new(new(6, 0), new(22, 0), Period.Flat));

    [Fact] // R11: on 29 March 2026 the night has 7 real hours; constant power follows real time
    public void Price_SpringForwardNight_ValleyGetsSevenRealHours()
    {
        var from = new DateTimeOffset(2026, 3, 28, 22, 0, 0, TimeSpan.FromHours(1));
        var to = new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.FromHours(2));

        var priced = Pricing.Price(Request(BerlinNights, from, to, 9m, Berlin));

        Assert.Equal(7m, QuantityOf(priced, "valley"));
        Assert.Equal(2m, QuantityOf(priced, "flat"));
    }

    [Fact] // R11: on 25 October 2026 the night has 9 real hours
    public void Price_FallBackNight_ValleyGetsNineRealHours()
    {
        var from = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.FromHours(2));
        var to = new DateTimeOffset(2026, 10, 25, 8, 0, 0, TimeSpan.FromHours(1));

        var priced = Pricing.Price(Request(BerlinNights, from, to, 11m, Berlin));

        Assert.Equal(9m, QuantityOf(priced, "valley"));
        Assert.Equal(2m, QuantityOf(priced, "flat"));
    }

    [Fact] // R11: a boundary inside the repeated hour is crossed twice, and the clock's jump back re-enters the valley
    public void Price_BoundaryInsideRepeatedHour_CrossedTwice()
    {
        var tariff = Tou(new(new(0, 0), new(2, 30), Period.Valley), new(new(2, 30), new(0, 0), Period.Flat));
        var from = new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)); // 24 Oct 22:00 UTC
        var to = new DateTimeOffset(2026, 10, 25, 4, 0, 0, TimeSpan.FromHours(1)); // 03:00 UTC

        var priced = Pricing.Price(Request(tariff, from, to, 5m, Berlin));

        // UTC: valley 22:00–00:30, flat 00:30–01:00, valley 01:00–01:30 (02:00–02:30 CET), flat 01:30–03:00.
        Assert.Equal(3m, QuantityOf(priced, "valley"));
        Assert.Equal(2m, QuantityOf(priced, "flat"));
    }

    [Fact] // R11: the same instants priced in Shanghai fall into other periods
    public void Price_SameInstantsOtherZone_OtherPeriods()
    {
        var from = Utc(2026, 3, 2, 2); // 10:00 in Shanghai, 03:00 in Berlin
        var to = Utc(2026, 3, 2, 4);

        Assert.Equal(4m, QuantityOf(Pricing.Price(Request(Tou(), from, to, 4m, Shanghai)), "peak"));
        Assert.Equal(4m, QuantityOf(Pricing.Price(Request(Tou(), from, to, 4m, Berlin)), "valley"));
    }

    [Fact] // R11: a tariff whose segments leave a gap cannot be priced there
    public void Price_SegmentsLeaveGap_Throws()
    {
        var gappy = Tou(new TouSegment(new(8, 0), new(20, 0), Period.Flat));

        Assert.Throws<InvalidOperationException>(() => Pricing.Price(Request(gappy, Cst(2026, 3, 2, 6), Cst(2026, 3, 2, 10), 1m)));
    }

    /// <summary>Peak 08:00–10:00 at 0.9050, flat from 10:00 at 0.5000: the first worked example.</summary>
    private static readonly Tariff PeakThenFlat = new(Utility.Electricity,
    [
        new TouVersion(LongAgo, new Dictionary<Period, decimal> { [Period.Sharp] = 1.2m, [Period.Peak] = 0.9050m, [Period.Flat] = 0.5000m, [Period.Valley] = 0.3m },
            [new(new(0, 0), new(8, 0), Period.Valley), new(new(8, 0), new(10, 0), Period.Peak), new(new(10, 0), new(0, 0), Period.Flat)]),
    ]);

    [Fact] // R1 + R11: 1 kWh over ⅓ h at 0.9050 and ⅔ h at 0.5000 is exactly 0.635, divided once, and posts 0.64 (R4)
    public void Price_ThirdOfAnHourPeakThenTwoThirdsFlat_ExactHalfFenRoundsUp_R1()
    {
        var priced = Pricing.Price(Request(PeakThenFlat, Cst(2026, 3, 2, 9, 40), Cst(2026, 3, 2, 10, 40), 1m));

        Assert.Equal(0.635m, priced.Cost);
        Assert.Equal(new Money(64), Money.Round(priced.Cost));
        // The lines keep their time shares for the statement; they add up to the quantity.
        Assert.Equal([("peak", 0.3333333333m), ("flat", 0.6666666667m)], priced.Lines.Select(l => (l.Label, l.Quantity)));
        Assert.Equal(1m, priced.Lines.Sum(l => l.Quantity));
    }

    [Fact] // R1 + R11: 1 h each of valley (0.3100), flat (0.6200) and peak (0.9750) for 1 kWh is 1.905 / 3 = 0.635: posts 0.64
    public void Price_OneHourEachOfValleyFlatPeak_ExactHalfFenRoundsUp_R1()
    {
        var tariff = new Tariff(Utility.Electricity,
        [
            new TouVersion(LongAgo, new Dictionary<Period, decimal> { [Period.Sharp] = 1.2m, [Period.Peak] = 0.9750m, [Period.Flat] = 0.6200m, [Period.Valley] = 0.3100m },
                [new(new(0, 0), new(8, 0), Period.Valley), new(new(8, 0), new(9, 0), Period.Flat), new(new(9, 0), new(0, 0), Period.Peak)]),
        ]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 2, 7), Cst(2026, 3, 2, 10), 1m));

        Assert.Equal(0.635m, priced.Cost);
        Assert.Equal(new Money(64), Money.Round(priced.Cost));
        Assert.Equal([("peak", 0.3333333333m), ("flat", 0.3333333334m), ("valley", 0.3333333333m)], priced.Lines.Select(l => (l.Label, l.Quantity)));
    }

    [Fact] // R1 + R11 with period registers: a version change at ⅓ of the interval shares each register by time, divided once
    public void Price_PeriodRegistersAcrossVersionChangeAtAThird_DividedOnce_R1()
    {
        var prices = new Dictionary<Period, decimal> { [Period.Sharp] = 1.2m, [Period.Peak] = 0.9050m, [Period.Flat] = 0.6m, [Period.Valley] = 0.3m };
        var cheaper = new Dictionary<Period, decimal>(prices) { [Period.Peak] = 0.5000m };
        var tariff = new Tariff(Utility.Electricity,
            [new TouVersion(LongAgo, prices, TouDaySegments), new TouVersion(Cst(2026, 3, 2, 10), cheaper, TouDaySegments)]);

        var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 2, 9, 40), Cst(2026, 3, 2, 10, 40), 1m,
            periods: new Dictionary<Period, decimal> { [Period.Peak] = 1m }));

        Assert.Equal(0.635m, priced.Cost);
    }
}
