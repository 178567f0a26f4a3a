using System.Numerics;

namespace Prepaid.Engine;

/// <summary>R34's two models: a flat without allocators bears heat by area (2EG), a flat with them by units and area (3EG).</summary>
public enum HeatModel { TwoEG, ThreeEG }

/// <summary>A flat in an allocation: its floor area, and its allocators' units for the period, or null when it has none.</summary>
public sealed record HeatFlat(decimal AreaM2, decimal? AllocatorUnits);

/// <summary>
/// A flat's part: its model, its exact quantity, the quantity to show (thousandths, by largest remainder so the shown
/// quantities add up to Q) and its amount in fen.
/// </summary>
public sealed record HeatShare(HeatModel Model, Ratio Quantity, decimal ShownQuantity, Money Amount);

/// <summary>R34 heat cost allocation (Croatian rules), exact: quantities as ratios, money split once by largest remainder.</summary>
public static class HeatAllocation
{
    public const decimal UrMin = 0.50m;
    public const decimal UrMax = 0.90m;
    public const decimal DefaultCorrectionFactor = 2.0m;

    public static bool IsUr(decimal ur) => ur is >= UrMin and <= UrMax;

    /// <summary>
    /// Splits the building's heat <paramref name="quantity"/> Q and its priced cost C over <paramref name="flats"/>:
    /// flats without allocators together bear Q_N = Q × k·A_N / (k·A_N + A_M), each by its area; flats with allocators bear
    /// Q_M = Q − Q_N, a fraction Ur by units over all units and the rest by area over A_M. Each flat's amount is
    /// C × its quantity / Q, split over the whole building by the largest-remainder method (R18), so the amounts add up to
    /// round(C) exactly. Throws on input the rule does not define (no flats, an area ≤ 0, Ur outside 0.50–0.90, k ≤ 0,
    /// negative units, or flats with allocators whose units add up to zero).
    /// </summary>
    public static HeatShare[] Allocate(decimal quantity, decimal cost, decimal ur, decimal correctionFactor, IReadOnlyList<HeatFlat> flats)
    {
        if (flats.Count == 0) throw new ArgumentException("At least one flat is needed.", nameof(flats));
        if (quantity <= 0m) throw new ArgumentOutOfRangeException(nameof(quantity), "The building's heat is positive.");
        if (cost < 0m) throw new ArgumentOutOfRangeException(nameof(cost), "The cost is never negative.");
        if (!IsUr(ur)) throw new ArgumentOutOfRangeException(nameof(ur), "Ur lies from 0.50 to 0.90.");
        if (correctionFactor <= 0m) throw new ArgumentOutOfRangeException(nameof(correctionFactor), "The correction factor is positive.");
        if (flats.Any(f => f.AreaM2 <= 0m)) throw new ArgumentException("Every flat has a positive floor area.", nameof(flats));
        if (flats.Any(f => f.AllocatorUnits < 0m)) throw new ArgumentException("Allocator units are never negative.", nameof(flats));
        if (flats.Any(f => f.AllocatorUnits is not null) && flats.Sum(f => f.AllocatorUnits ?? 0m) == 0m)
            throw new ArgumentException("The allocators' units add up to zero: nothing to split Ur by.", nameof(flats));

        var quantities = Quantities(quantity, ur, correctionFactor, flats);
        var weights = CommonDenominator(quantities);
        var amounts = Apportion.LargestRemainder(Money.Round(cost), weights);
        var shown = ShownQuantities(quantity, weights);
        return [.. flats.Select((f, i) => new HeatShare(f.AllocatorUnits is null ? HeatModel.TwoEG : HeatModel.ThreeEG, quantities[i], shown[i], amounts[i]))];
    }

    /// <summary>R34's quantities per flat, exact; they add up to Q.</summary>
    public static Ratio[] Quantities(decimal quantity, decimal ur, decimal correctionFactor, IReadOnlyList<HeatFlat> flats)
    {
        var q = Ratio.Of(quantity);
        var k = Ratio.Of(correctionFactor);
        var urPart = Ratio.Of(ur);
        var areaN = Sum(flats.Where(f => f.AllocatorUnits is null).Select(f => f.AreaM2));
        var areaM = Sum(flats.Where(f => f.AllocatorUnits is not null).Select(f => f.AreaM2));
        var units = Sum(flats.Select(f => f.AllocatorUnits ?? 0m));
        var qN = q * (k * areaN) / (k * areaN + areaM);
        var qM = q - qN;
        return [.. flats.Select(f => f.AllocatorUnits is not { } u
            ? qN * Ratio.Of(f.AreaM2) / areaN
            : qM * urPart * Ratio.Of(u) / units + qM * (Ratio.One - urPart) * Ratio.Of(f.AreaM2) / areaM)];
    }

    static Ratio Sum(IEnumerable<decimal> values) => values.Aggregate(Ratio.Zero, (s, v) => s + Ratio.Of(v));

    /// <summary>Ratios as integers over one denominator, so the largest-remainder split compares them exactly.</summary>
    static BigInteger[] CommonDenominator(Ratio[] values)
    {
        var lcm = values.Aggregate(BigInteger.One, (l, v) => l / BigInteger.GreatestCommonDivisor(l, v.Denominator) * v.Denominator);
        return [.. values.Select(v => v.Numerator * (lcm / v.Denominator))];
    }

    /// <summary>Thousandths of Q split by the exact quantities (largest remainder), so the sheet's column adds up to Q to the thousandth.</summary>
    static decimal[] ShownQuantities(decimal quantity, BigInteger[] weights)
    {
        var thousandths = Ratio.Of(quantity * 1000m).Round(0);
        return [.. Apportion.LargestRemainder((long)thousandths, weights).Select(t => t / 1000m)];
    }
}
