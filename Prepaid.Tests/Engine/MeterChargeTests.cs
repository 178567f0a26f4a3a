using Xunit;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class MeterChargeTests
{
    [Fact] // R4
    public void Add_ThreeThirdsOfAYuan_DebitsAddUpToTheRoundedCumulative()
    {
        var charge = MeterCharge.Opening;
        var debits = new List<Money>();
        foreach (var cost in new[] { 0.333m, 0.333m, 0.334m })
        {
            (charge, var debit) = charge.Add(cost);
            debits.Add(debit);
        }

        Assert.Equal([new Money(33), new Money(34), new Money(33)], debits);
        Assert.Equal(new MeterCharge(1.000m, new Money(100)), charge);
    }

    [Fact] // R4: rounding each posting alone would debit nothing at all
    public void Add_ThousandCostsBelowHalfAFen_NoDrift()
    {
        var charge = MeterCharge.Opening;
        var total = Money.Zero;
        for (var i = 0; i < 1000; i++)
        {
            (charge, var debit) = charge.Add(0.0049m);
            total += debit;
        }

        Assert.Equal(Money.FromYuan(4.90m), total);
        Assert.Equal(Money.Round(4.9m), charge.Debited);
    }

    [Theory] // R4: half away from zero (四舍五入), not banker's rounding
    [InlineData("0.125", 13)]
    [InlineData("0.135", 14)]
    [InlineData("0.005", 1)]
    [InlineData("0.0049", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("-0.125", -13)]
    public void Round_HalfFen_AwayFromZero(string yuan, long fen) =>
        Assert.Equal(new Money(fen), Money.Round(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact] // R4: the first posting already debited the rounded-up fen
    public void Add_CumulativeAlreadyRoundedUp_NextDebitIsZero()
    {
        var (after, first) = MeterCharge.Opening.Add(0.005m);
        var (_, second) = after.Add(0.004m);

        Assert.Equal(new Money(1), first);
        Assert.Equal(Money.Zero, second); // round(0.009) = 0.01 = already debited
    }
}
