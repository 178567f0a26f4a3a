namespace Prepaid.Engine;

/// <summary>R18: splits money by weights with the largest-remainder method, so shares add up exactly to the total.</summary>
public static class Apportion
{
    /// <summary>
    /// Each share gets floor(total × w / Σw) fen; the fen left over go one at a time to the largest remainders
    /// (ties: the earlier index). Weights ≥ 0 with a positive sum. Works for negative totals symmetrically.
    /// </summary>
    public static Money[] LargestRemainder(Money total, IReadOnlyList<decimal> weights)
    {
        if (weights.Count == 0) throw new ArgumentException("At least one weight is needed.", nameof(weights));
        if (weights.Any(w => w < 0m)) throw new ArgumentException("Weights are never negative.", nameof(weights));
        var sum = weights.Sum();
        if (sum <= 0m) throw new ArgumentException("The weights must have a positive sum.", nameof(weights));

        // Work on |total| and give the sign back at the end, so a negative total splits as the mirror of a positive one.
        // Shares are kept as numerator / sum: the remainder numerator % sum is exact, so ties compare exactly.
        var magnitude = Math.Abs(total.Fen);
        var floors = new long[weights.Count];
        var remainders = new decimal[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var numerator = magnitude * weights[i];
            remainders[i] = numerator % sum;
            floors[i] = (long)((numerator - remainders[i]) / sum);
        }

        var leftover = magnitude - floors.Sum();
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)leftover))
            floors[i]++;

        var sign = Math.Sign(total.Fen);
        return [.. floors.Select(f => new Money(sign * f))];
    }

    /// <summary>
    /// R18's boundary value of a cumulative register at instant t: the reading at t, else linear interpolation in time
    /// between the nearest readings before and after, else the nearest reading before; null when none is at or before t.
    /// Readings need not be sorted. Rollover is not handled here: callers pass unwrapped cumulative values.
    /// </summary>
    public static decimal? ValueAt(IReadOnlyList<(DateTimeOffset At, decimal Total)> readings, DateTimeOffset t)
    {
        (DateTimeOffset At, decimal Total)? before = null, after = null;
        foreach (var r in readings)
        {
            if (r.At == t) return r.Total;
            if (r.At < t && (before is null || r.At > before.Value.At)) before = r;
            if (r.At > t && (after is null || r.At < after.Value.At)) after = r;
        }
        if (before is not { } b) return null;
        if (after is not { } a) return b.Total;
        return b.Total + (a.Total - b.Total) * (t - b.At).Ticks / (a.At - b.At).Ticks;
    }

    public static IReadOnlyList<(DateTimeOffset At, decimal Total)> Unwrap(IEnumerable<(DateTimeOffset At, decimal Total)> readings, decimal registerMax) =>
        [.. readings.OrderBy(r => r.At)];
}
