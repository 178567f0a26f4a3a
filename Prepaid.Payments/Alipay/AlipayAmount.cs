using System.Globalization;

namespace Prepaid.Payments.Alipay;

/// <summary>Alipay amounts are yuan strings with exactly two decimals, 0.01 to 100000000.</summary>
public static class AlipayAmount
{
    public const decimal Min = 0.01m;
    public const decimal Max = 100_000_000m;

    public static string Format(decimal yuan)
    {
        if (yuan < Min || yuan > Max)
        {
            throw new ArgumentOutOfRangeException(nameof(yuan), yuan, "Alipay accepts 0.01 to 100000000 yuan.");
        }
        // Rounding here would charge a tenant something other than what the order says.
        if (decimal.Round(yuan, 2) != yuan)
        {
            throw new ArgumentException("Alipay amounts are whole fen.", nameof(yuan));
        }
        return yuan.ToString("0.00", CultureInfo.InvariantCulture);
    }

    public static bool TryParse(string? text, out decimal yuan) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out yuan);
}
