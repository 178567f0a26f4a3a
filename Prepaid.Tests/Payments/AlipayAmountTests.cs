using Prepaid.Payments.Alipay;
using Xunit;

namespace Prepaid.Tests.Payments;

public sealed class AlipayAmountTests
{
    [Theory]
    [InlineData("95", "95.00")]
    [InlineData("95.5", "95.50")]
    [InlineData("0.01", "0.01")]
    [InlineData("100000000", "100000000.00")]
    public void Format_WholeFen_TwoDecimals(string yuan, string expected)
    {
        Assert.Equal(expected, AlipayAmount.Format(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100000000.01")]
    public void Format_OutOfRange_Throws(string yuan)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlipayAmount.Format(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Format_FractionOfFen_ThrowsRatherThanRounds()
    {
        Assert.Throws<ArgumentException>(() => AlipayAmount.Format(95.005m));
    }
}
