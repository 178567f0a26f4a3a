using System.Globalization;
using System.Numerics;

namespace Prepaid.Engine;

/// <summary>
/// An exact rational (BigInteger numerator over a positive, reduced denominator). R34's shares are quotients of areas and
/// units, which decimal cannot hold exactly (1/3 of a building), so the allocation computes in ratios and rounds once.
/// </summary>
public readonly record struct Ratio
{
    public static readonly Ratio Zero = new(BigInteger.Zero, BigInteger.One);
    public static readonly Ratio One = new(BigInteger.One, BigInteger.One);

    public Ratio(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("A ratio's denominator is never zero.");
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (gcd > BigInteger.One) (numerator, denominator) = (numerator / gcd, denominator / gcd);
        (Numerator, Denominator) = (numerator, denominator);
    }

    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; } = BigInteger.One;

    public int Sign => Numerator.Sign;

    /// <summary>A decimal exactly: its 96-bit integer over 10^scale, with its sign.</summary>
    public static Ratio Of(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var integer = new BigInteger((uint)bits[0]) | new BigInteger((uint)bits[1]) << 32 | new BigInteger((uint)bits[2]) << 64;
        return new Ratio(bits[3] < 0 ? -integer : integer, BigInteger.Pow(10, (bits[3] >> 16) & 0xFF));
    }

    public static Ratio operator +(Ratio a, Ratio b) => new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    public static Ratio operator -(Ratio a, Ratio b) => new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);
    public static Ratio operator *(Ratio a, Ratio b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);
    public static Ratio operator /(Ratio a, Ratio b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>R4's rounding, half away from zero, to <paramref name="decimals"/> places.</summary>
    public decimal Round(int decimals)
    {
        var scale = BigInteger.Pow(10, decimals);
        var quotient = BigInteger.DivRem(BigInteger.Abs(Numerator) * scale, Denominator, out var remainder);
        if (remainder * 2 >= Denominator) quotient++;
        return (Sign < 0 ? -1m : 1m) * (decimal)quotient / (decimal)scale;
    }

    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
