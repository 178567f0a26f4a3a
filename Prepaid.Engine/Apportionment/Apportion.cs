namespace Prepaid.Engine;

/// <summary>R18: splits money by weights with the largest-remainder method, so shares add up exactly to the total.</summary>
public static class Apportion
{
    /// <summary>
    /// Each share gets floor(total × w / Σw) fen; the fen left over go one at a time to the largest remainders
    /// (ties: the earlier index). Weights ≥ 0 with a positive sum. Works for negative totals symmetrically.
    /// </summary>
    public static Money[] LargestRemainder(Money total, IReadOnlyList<decimal> weights)
        => throw new NotImplementedException();

    /// <summary>
    /// R18's boundary value of a cumulative register at instant t: the reading at t, else linear interpolation in time
    /// between the nearest readings before and after, else the nearest reading before; null when none is at or before t.
    /// Readings need not be sorted. Rollover is not handled here: callers pass unwrapped cumulative values.
    /// </summary>
    public static decimal? ValueAt(IReadOnlyList<(DateTimeOffset At, decimal Total)> readings, DateTimeOffset t)
        => throw new NotImplementedException();
}
