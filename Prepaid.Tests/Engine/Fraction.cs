using System.Numerics;

namespace Prepaid.Tests.Engine;

/// <summary>
/// An exact rational in BigInteger numerator / denominator (denominator positive, kept reduced): the yardstick the money
/// properties measure the engine's decimal arithmetic against. Written here, independent of the engine.
/// </summary>
internal readonly record struct Fraction : IComparable<Fraction>
{
    public static readonly Fraction Zero = new(0, 1);

    public Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException();
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        (Numerator, Denominator) = (numerator / gcd, denominator / gcd);
    }

    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    /// <summary>A decimal as it is stored: its 96-bit integer over 10^scale, with its sign (read from decimal.GetBits).</summary>
    public static Fraction Of(decimal value)
    {
        var bits = decimal.GetBits(value);
        var integer = new BigInteger((uint)bits[0]) | new BigInteger((uint)bits[1]) << 32 | new BigInteger((uint)bits[2]) << 64;
        return new Fraction(bits[3] < 0 ? -integer : integer, BigInteger.Pow(10, (bits[3] >> 16) & 0xFF));
    }

    public static implicit operator Fraction(long value) => new(value, 1);

    public static Fraction operator +(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction operator -(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction operator *(Fraction a, Fraction b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Fraction operator /(Fraction a, Fraction b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public Fraction Abs() => new(BigInteger.Abs(Numerator), Denominator);

    /// <summary>The largest integer not above the value.</summary>
    public BigInteger Floor() => BigInteger.DivRem(Numerator, Denominator, out var r) - (r.Sign < 0 ? 1 : 0);

    /// <summary>R4 by its definition: the nearest integer, a half away from zero.</summary>
    public BigInteger RoundHalfAwayFromZero()
    {
        var twice = new Fraction(2 * BigInteger.Abs(Numerator) + Denominator, 2 * Denominator).Floor();
        return Numerator.Sign < 0 ? -twice : twice;
    }

    public int CompareTo(Fraction other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;
    public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;

    public override string ToString() => $"{Numerator}/{Denominator}";
}
