using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class ApportionTests
{
    private static long[] Split(long totalFen, params decimal[] weights) =>
        [.. Apportion.LargestRemainder(new Money(totalFen), weights).Select(m => m.Fen)];

    [Fact] // R18: 1.00 three ways, the tie goes to the earliest
    public void LargestRemainder_OneYuanEqualThree_FirstGetsTheExtraFen() => Assert.Equal([34, 33, 33], Split(100, 1, 1, 1));

    [Fact] // R18: 1/7, 2/7, 4/7 of 10 fen: floors 1, 2, 5; remainders .43, .86, .71 get the two fen left
    public void LargestRemainder_UnevenWeights_LargestRemaindersGetTheFen() => Assert.Equal([1, 3, 6], Split(10, 1, 2, 4));

    [Fact] // R18: floor areas 50.5, 30.25, 19.25 m² of 10.00: 505, 302.5, 192.5; the tie at .5 goes to the earlier
    public void LargestRemainder_AreaWeightsWithTiedHalves_EarlierIndexWins() => Assert.Equal([505, 303, 192], Split(1000, 50.5m, 30.25m, 19.25m));

    [Fact] // R18: exact division leaves nothing over
    public void LargestRemainder_DividesEvenly_ExactShares() => Assert.Equal([7200, 12000, 4800], Split(24000, 30, 50, 20));

    [Fact] // R18: negative totals split as the mirror image
    public void LargestRemainder_NegativeTotal_MirrorOfPositive()
    {
        Assert.Equal([-1, -3, -6], Split(-10, 1, 2, 4));
        Assert.Equal([-34, -33, -33], Split(-100, 1, 1, 1));
    }

    [Fact] // R18: a zero weight gets nothing, even of the leftover
    public void LargestRemainder_ZeroWeight_ZeroShare() => Assert.Equal([0, 51, 50], Split(101, 0, 1, 1));

    [Fact] // R18
    public void LargestRemainder_ZeroTotal_AllZero() => Assert.Equal([0, 0], Split(0, 1, 3));

    [Fact] // R18: one fen among many
    public void LargestRemainder_OneFenFiveWays_FirstGetsIt() => Assert.Equal([1, 0, 0, 0, 0], Split(1, 1, 1, 1, 1, 1));

    [Theory] // R18
    [InlineData("")]
    [InlineData("1 -1")]
    [InlineData("0 0")]
    public void LargestRemainder_BadWeights_Throws(string weights) =>
        Assert.Throws<ArgumentException>(() => Apportion.LargestRemainder(new Money(100),
            [.. weights.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => decimal.Parse(w, System.Globalization.CultureInfo.InvariantCulture))]));

    [Fact] // R18: consumption weights interpolated at a boundary (5 and 3 kWh × 720/726) split 14.37 as 5 : 3 does, exactly
    public void LargestRemainder_InterpolatedConsumptionWeights_ExactShares_R18()
    {
        decimal Interpolated(decimal reading) => 0m + (reading - 0m) * (720 * TimeSpan.TicksPerHour) / (726 * TimeSpan.TicksPerHour); // as ValueAt
        // 1437 × 5/8 = 898.125 and 1437 × 3/8 = 538.875: the spare fen goes to the second share.
        Assert.Equal([898, 539], Split(1437, Interpolated(5m), Interpolated(3m)));
    }

    [Fact] // R18: weights eleven orders apart: the small one's exact share is 0.0546 fen, so the spare fen is the large one's
    public void LargestRemainder_WeightsOfVeryDifferentMagnitudes_ExactShares_R18() =>
        Assert.Equal([0, 7_751_451_590], Split(7_751_451_590, 1.085501856258511947466934406m, 154101643835.61643835616438356m));

    private static readonly (DateTimeOffset, decimal)[] Master =
    [
        (Cst(2026, 3, 2), 1100m), (Cst(2026, 2, 28), 1000m), (Cst(2026, 3, 31), 1400m), (Cst(2026, 4, 2), 1500m),
    ];

    [Fact] // R18a: a register that wraps (R7) goes on counting from registerMax, so interpolation across the wrap is linear
    public void Unwrap_RolloverBetweenReadings_ValuesContinuePastRegisterMax_R18a()
    {
        (DateTimeOffset, decimal)[] readings = [(Cst(2026, 11, 2), 600m), (Cst(2026, 10, 31), 98_800m), (Cst(2026, 12, 1), 2_600m)];

        var unwrapped = Apportion.Unwrap(readings, 100_000m);

        Assert.Equal([98_800m, 100_600m, 102_600m], unwrapped.Select(r => r.Total));
        Assert.Equal(99_700m, Apportion.ValueAt(unwrapped, Cst(2026, 11, 1)));
        Assert.Equal(2_900m, Apportion.ValueAt(unwrapped, Cst(2026, 12, 1)) - Apportion.ValueAt(unwrapped, Cst(2026, 11, 1)));
    }

    [Fact] // R18a: two wraps in the series; a small decrease is no rollover (R7) and is kept as it is
    public void Unwrap_TwoWrapsAndASmallDecrease_OnlyWrapsAreUndone_R18a()
    {
        (DateTimeOffset, decimal)[] readings = [(Cst(2026, 11, 1), 900m), (Cst(2026, 11, 2), 100m), (Cst(2026, 11, 3), 950m), (Cst(2026, 11, 4), 940m), (Cst(2026, 11, 5), 10m)];

        Assert.Equal([900m, 1_100m, 1_950m, 1_940m, 2_010m], Apportion.Unwrap(readings, 1_000m).Select(r => r.Total));
    }

    [Fact] // R18: a reading on the boundary is taken as it is
    public void ValueAt_ReadingAtInstant_ItsValue() => Assert.Equal(1100m, Apportion.ValueAt(Master, Cst(2026, 3, 2)));

    [Fact] // R18: halfway in time between 1000 and 1100 (unsorted input)
    public void ValueAt_BetweenReadings_LinearInTime() => Assert.Equal(1050m, Apportion.ValueAt(Master, Cst(2026, 3, 1)));

    [Fact] // R18: a quarter of the way
    public void ValueAt_QuarterWay_QuarterOfTheDelta() => Assert.Equal(1025m, Apportion.ValueAt(Master, Cst(2026, 2, 28, 12)));

    [Fact] // R18: nothing after: the nearest reading before
    public void ValueAt_AfterLastReading_LastValue() => Assert.Equal(1500m, Apportion.ValueAt(Master, Cst(2026, 5, 1)));

    [Fact] // R18
    public void ValueAt_BeforeFirstReading_Null() => Assert.Null(Apportion.ValueAt(Master, Cst(2026, 2, 1)));

    [Fact] // R18 end to end: master's March quantity, priced flat, debited by floor area
    public void LargestRemainder_MasterMeterMonthByArea_SharesAddUpToThePricedTotal()
    {
        var from = Cst(2026, 3, 1);
        var to = Cst(2026, 4, 1);
        var quantity = Apportion.ValueAt(Master, to)!.Value - Apportion.ValueAt(Master, from)!.Value; // 1450 − 1050

        var total = Money.Round(Pricing.Price(Request(Flat(0.6853m), from, to, quantity)).Cost); // 274.12
        var shares = Apportion.LargestRemainder(total, [30m, 50m, 20m]);

        Assert.Equal(400m, quantity);
        Assert.Equal(new Money(27412), total);
        Assert.Equal([8224, 13706, 5482], shares.Select(s => s.Fen)); // 8223.6, 13706, 5482.4
    }
}
