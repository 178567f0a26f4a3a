using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class HeatAllocationTests
{
    /// <summary>
    /// Six flats, two without allocators (50 and 70 m²) and four with (60 m² 120 units, 80 m² 300, 40 m² 0, 100 m² 180).
    /// Q = 123.456 GJ at 80.1234 CNY/GJ: C = 9891.7144704, 9891.71 to post. k = 2, Ur = 0.7.
    /// A_N = 120, A_M = 280, so Q_N = Q × 240 / 520 = 56.9796923… and Q_M = 66.4763076…
    /// </summary>
    static readonly HeatFlat[] Building =
    [
        new(50m, null), new(70m, null), new(60m, 120m), new(80m, 300m), new(40m, 0m), new(100m, 180m),
    ];

    [Fact]
    public void SixFlatsTwoWithoutAllocators_ModelsQuantitiesAndMoneyAddUpToThePricedHeat_R34()
    {
        var shares = HeatAllocation.Allocate(123.456m, 123.456m * 80.1234m, 0.7m, 2.0m, Building);

        Assert.Equal([HeatModel.TwoEG, HeatModel.TwoEG, HeatModel.ThreeEG, HeatModel.ThreeEG, HeatModel.ThreeEG, HeatModel.ThreeEG], shares.Select(s => s.Model));
        // 2EG: Q_N by area, 56.979… × 50/120 and × 70/120.
        Assert.Equal(new Ratio(154320, 6500), shares[0].Quantity);
        Assert.Equal(new Ratio(216048, 6500), shares[1].Quantity);
        // 3EG, 60 m² and 120 units: Q_M × (0.7 × 120/600 + 0.3 × 60/280) = 66.476… × 0.20428… = 13.58016 exactly.
        Assert.Equal(new Ratio(1358016, 100000), shares[2].Quantity);
        Assert.Equal(123.456m, shares.Aggregate(Ratio.Zero, (s, x) => s + x.Quantity).Round(3));
        Assert.True(shares.Aggregate(Ratio.Zero, (s, x) => s + x.Quantity) == Ratio.Of(123.456m));
        // C × q / Q in fen: 190225.19, 266315.27, 108808.81, 232074.73, 22827.02, 168919.97; the floors leave 3 fen, which go
        // to the three largest remainders (0.97, 0.81, 0.73).
        Assert.Equal([190225, 266315, 108809, 232075, 22827, 168920], shares.Select(s => s.Amount.Fen));
        Assert.Equal(989171, shares.Sum(s => s.Amount.Fen));
        Assert.Equal([23.742m, 33.238m, 13.580m, 28.965m, 2.849m, 21.082m], shares.Select(s => s.ShownQuantity));
        Assert.Equal(123.456m, shares.Sum(s => s.ShownQuantity));
    }

    [Fact]
    public void NoFlatWithAllocators_AllHeatByArea_R34()
    {
        var shares = HeatAllocation.Allocate(10m, 100m, 0.5m, 2m, [new(30m, null), new(10m, null)]);
        Assert.Equal([7500, 2500], shares.Select(s => s.Amount.Fen));
        Assert.All(shares, s => Assert.Equal(HeatModel.TwoEG, s.Model));
    }

    [Fact]
    public void EveryFlatWithAllocators_UrByUnitsRestByArea_R34()
    {
        // Ur 0.9: 9 GJ by units 1:3, 1 GJ by area 1:1.
        var shares = HeatAllocation.Allocate(10m, 10m, 0.9m, 2m, [new(50m, 10m), new(50m, 30m)]);
        Assert.Equal([new Ratio(11, 4), new Ratio(29, 4)], shares.Select(s => s.Quantity));
        Assert.Equal([275, 725], shares.Select(s => s.Amount.Fen));
    }

    [Fact]
    public void CorrectionFactor_WeighsUnmeteredArea_R34()
    {
        // k = 3: Q_N = 12 × 3·10 / (3·10 + 30) = 6.
        var shares = HeatAllocation.Allocate(12m, 12m, 0.5m, 3m, [new(10m, null), new(30m, 5m)]);
        Assert.Equal([new Ratio(6, 1), new Ratio(6, 1)], shares.Select(s => s.Quantity));
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(0.91)]
    public void UrOutsideTheRange_IsRefused_R34(double ur) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HeatAllocation.Allocate(10m, 10m, (decimal)ur, 2m, [new(10m, 1m)]));

    [Fact]
    public void AllocatorsWithoutUnits_AreRefused_R34() =>
        Assert.Throws<ArgumentException>(() => HeatAllocation.Allocate(10m, 10m, 0.7m, 2m, [new(10m, 0m), new(10m, null)]));

    [Theory]
    [InlineData("2026-01-10", 2026, 12)]
    [InlineData("2026-03-15", 2026, 10)]
    [InlineData("2026-12-31", 2026, 1)]
    [InlineData("2026-03-15", 2027, 12)]
    [InlineData("2026-03-15", 2025, 0)]
    public void ReadingFee_MonthsOfServiceInTheFirstYear_R34(string start, int year, int months) =>
        Assert.Equal(months, ReadingFee.MonthsOfService(DateOnly.Parse(start), year));

    [Fact]
    public void ReadingFee_ProratedByMonthsInTheFirstYear_R34()
    {
        // 100.00 a year from 15 March: 10 months, 83.333… → 83.33; from 1 August: 5 months, 41.666… → 41.67; a full year after.
        Assert.Equal(new Money(8333), ReadingFee.ForYear(new Money(10000), new DateOnly(2026, 3, 15), 2026));
        Assert.Equal(new Money(4167), ReadingFee.ForYear(new Money(10000), new DateOnly(2026, 8, 1), 2026));
        Assert.Equal(new Money(10000), ReadingFee.ForYear(new Money(10000), new DateOnly(2026, 8, 1), 2027));
        Assert.Equal(Money.Zero, ReadingFee.ForYear(new Money(10000), new DateOnly(2026, 8, 1), 2025));
    }
}
