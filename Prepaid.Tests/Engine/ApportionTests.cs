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

    private static readonly (DateTimeOffset, decimal)[] Master =
    [
        (Cst(2026, 3, 2), 1100m), (Cst(2026, 2, 28), 1000m), (Cst(2026, 3, 31), 1400m), (Cst(2026, 4, 2), 1500m),
    ];

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
