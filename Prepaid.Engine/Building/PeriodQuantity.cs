namespace Prepaid.Engine;

/// <summary>The quantity a cumulative register shows for a period, or "no data" (R30: a period with no data is never a zero).</summary>
public static class PeriodQuantity
{
    /// <summary>
    /// The delta of [start, end) on readings unwrapped by <see cref="Apportion.Unwrap"/> (R18 boundary values), or null
    /// when the period has no data: no reading inside [start, end], or none at or before start, or none at or after end.
    /// A meter that reports once a day shows no single hour, so interpolation never invents a night of steady flow.
    /// </summary>
    public static decimal? Of(IReadOnlyList<(DateTimeOffset At, decimal Total)> unwrapped, DateTimeOffset start, DateTimeOffset end)
    {
        bool before = false, inside = false, after = false;
        foreach (var r in unwrapped)
        {
            if (r.At <= start) before = true;
            if (r.At >= start && r.At <= end) inside = true;
            if (r.At >= end) after = true;
        }
        if (!(before && inside && after)) return null;
        return Apportion.ValueAt(unwrapped, end) - Apportion.ValueAt(unwrapped, start);
    }
}
