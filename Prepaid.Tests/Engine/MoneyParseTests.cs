using CsCheck;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

public class MoneyParseTests
{
    [Fact]
    public void TryParse_TwentyDigits_IsNotAnAmount_R1()
    {
        Assert.False(Money.TryParse("99999999999999999999", out _));
        Assert.False(Money.TryParse("-99999999999999999.9", out _));
        Assert.True(Money.TryParse("92233720368547758.07", out var max));
        Assert.Equal(long.MaxValue, max.Fen);
    }

    /// <summary>Any text of digits, a sign and a dot either parses to the fen it says or is refused; it never throws.</summary>
    [Fact]
    public void TryParse_AnyDigitsSignAndDot_NeverThrowsAndRoundTrips_R1()
    {
        Gen.Char["0123456789.-"].Array[0, 24].Select(c => new string(c)).Sample(text =>
        {
            if (!Money.TryParse(text, out var m)) return true;
            return decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) == m.Yuan;
        }, iter: 20_000);
    }
}
