using System.Globalization;

namespace Prepaid.Engine;

/// <summary>An amount of CNY in whole fen (R1). The only money type the ledger posts.</summary>
public readonly record struct Money(long Fen) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public decimal Yuan => Fen / 100m;

    /// <summary>Exact conversion; throws when the amount has fractions of a fen.</summary>
    public static Money FromYuan(decimal yuan)
    {
        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen)) throw new ArgumentException($"{yuan} is not a whole number of fen.", nameof(yuan));
        return new Money((long)fen);
    }

    /// <summary>R4: half away from zero (四舍五入) to the fen; the only rounding door.</summary>
    public static Money Round(decimal yuan) => new((long)decimal.Round(yuan * 100m, 0, MidpointRounding.AwayFromZero));

    /// <summary>Parses the API's form: an optional minus, digits, and at most two decimals ("95.00").</summary>
    public static bool TryParse(string? text, out Money money)
    {
        money = Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 20) return false;
        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 is < 1 or > 2) return false;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)) return false;
        // Twenty digits parse as a decimal but not as a long of fen: too large is not an amount.
        if (Math.Abs(yuan) * 100m > long.MaxValue) return false;
        money = FromYuan(yuan);
        return true;
    }

    public static Money operator +(Money a, Money b) => new(checked(a.Fen + b.Fen));
    public static Money operator -(Money a, Money b) => new(checked(a.Fen - b.Fen));
    public static Money operator -(Money a) => new(checked(-a.Fen));
    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;
    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;
    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;
    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;

    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    /// <summary>"95.00", "-3.07": the API's and the receipt's form.</summary>
    public override string ToString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);
}
