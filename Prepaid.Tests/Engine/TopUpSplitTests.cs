using Xunit;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class TopUpSplitTests
{
    [Theory] // R15
    [InlineData("100.00", "0.05", "5.00", "95.00")]
    [InlineData("0.10", "0.05", "0.01", "0.09")] // fee 0.005 rounds away from zero
    [InlineData("33.33", "0.006", "0.20", "33.13")] // fee 0.19998
    [InlineData("50.00", "0", "0.00", "50.00")]
    public void Of_AmountAndRate_FeeRoundedAndCreditedIsTheRest(string amount, string rate, string fee, string credited)
    {
        var (f, c) = TopUpSplit.Of(Parse(amount), decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Parse(fee), f);
        Assert.Equal(Parse(credited), c);
        Assert.Equal(Parse(amount), f + c);
    }

    [Theory] // R15
    [InlineData("-0.01")]
    [InlineData("1")]
    public void Of_RateOutsideUnitInterval_Throws(string rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TopUpSplit.Of(new Money(100), decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));

    private static Money Parse(string text) => Money.TryParse(text, out var money) ? money : throw new FormatException(text);
}
