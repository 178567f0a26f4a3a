using System.Numerics;

namespace Prepaid.Engine;

/// <summary>R18: splits money by weights with the largest-remainder method, so shares add up exactly to the total.</summary>
public static class Apportion
{
    /// <summary>
    /// Each share gets floor(total × w / Σw) fen; the fen left over go one at a time to the largest remainders
    /// (ties: the earlier index). Weights ≥ 0 with a positive sum. Works for negative totals symmetrically.
    /// Exact for any decimal weights, however many digits (a weight interpolated in time has 28) or far apart in size.
    /// </summary>
    public static Money[] LargestRemainder(Money total, IReadOnlyList<decimal> weights)
    {
        if (weights.Count == 0) throw new ArgumentException("At least one weight is needed.", nameof(weights));
        if (weights.Any(w => w < 0m)) throw new ArgumentException("Weights are never negative.", nameof(weights));
        if (!weights.Any(w => w > 0m)) throw new ArgumentException("The weights must have a positive sum.", nameof(weights));

        // Decimal products and remainders round once a weight has many digits, and a share then lands a fen off. Each
        // weight is an integer over 10^scale instead: at the weights' largest scale, share i is magnitude × units[i] / Σ units,
        // a ratio of integers, so floors and remainders are exact and remainders over the same denominator compare exactly.
        var scale = weights.Max(w => w.Scale);
        var units = new BigInteger[weights.Count];
        for (var i = 0; i < weights.Count; i++) units[i] = Units(weights[i], scale);

        return LargestRemainder(total, units);
    }

    /// <summary>The same split by exact integer weights (ratios brought over one denominator): ≥ 0 with a positive sum.</summary>
    public static Money[] LargestRemainder(Money total, IReadOnlyList<BigInteger> weights) =>
        [.. LargestRemainder(total.Fen, weights).Select(f => new Money(f))];

    /// <summary>Whole units (fen, thousandths of a quantity) split by exact integer weights with the largest-remainder method.</summary>
    public static long[] LargestRemainder(long total, IReadOnlyList<BigInteger> weights)
    {
        if (weights.Count == 0) throw new ArgumentException("At least one weight is needed.", nameof(weights));
        if (weights.Any(w => w.Sign < 0)) throw new ArgumentException("Weights are never negative.", nameof(weights));
        var sum = weights.Aggregate(BigInteger.Zero, (s, w) => s + w);
        if (sum.IsZero) throw new ArgumentException("The weights must have a positive sum.", nameof(weights));

        // Work on |total| and give the sign back at the end, so a negative total splits as the mirror of a positive one.
        var magnitude = new BigInteger(Math.Abs(total));
        var floors = new long[weights.Count];
        var remainders = new BigInteger[weights.Count];
        for (var i = 0; i < weights.Count; i++)
            floors[i] = (long)BigInteger.DivRem(magnitude * weights[i], sum, out remainders[i]);

        var leftover = Math.Abs(total) - floors.Sum();
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)leftover))
            floors[i]++;

        var sign = Math.Sign(total);
        return [.. floors.Select(f => sign * f)];
    }

    /// <summary>A non-negative decimal as the integer w × 10^scale (scale at least the decimal's own).</summary>
    private static BigInteger Units(decimal weight, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(weight, bits);
        var integer = new BigInteger((uint)bits[0]) | new BigInteger((uint)bits[1]) << 32 | new BigInteger((uint)bits[2]) << 64;
        return integer * BigInteger.Pow(10, scale - weight.Scale);
    }

    /// <summary>
    /// R18's boundary value of a cumulative register at instant t: the reading at t, else linear interpolation in time
    /// between the nearest readings before and after, else the nearest reading before; null when none is at or before t.
    /// Readings need not be sorted. Rollover is not handled here: callers pass values unwrapped by <see cref="Unwrap"/>.
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

    /// <summary>
    /// R18a: a register's readings in time order with every rollover undone, so the values only grow as consumption does
    /// and interpolation between two readings on either side of a wrap is linear. Each step is R7's delta: a fall of more
    /// than half of <paramref name="registerMax"/> counts as a wrap; a smaller fall (which R7 never bills) is kept as it is.
    /// The first reading keeps its value.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset At, decimal Total)> Unwrap(IEnumerable<(DateTimeOffset At, decimal Total)> readings, decimal registerMax)
    {
        var ordered = readings.OrderBy(r => r.At).ToList();
        var unwrapped = new List<(DateTimeOffset At, decimal Total)>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var (at, total) = ordered[i];
            unwrapped.Add(i == 0
                ? (at, total)
                : (at, unwrapped[i - 1].Total + (ReadingCheck.Delta(ordered[i - 1].Total, total, registerMax) ?? total - ordered[i - 1].Total)));
        }
        return unwrapped;
    }
}
