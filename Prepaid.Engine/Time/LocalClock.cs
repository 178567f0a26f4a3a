namespace Prepaid.Engine;

/// <summary>
/// Maps a site's wall clock to instants. DST makes local times missing (spring gap) or doubled (autumn overlap),
/// so every rule that cuts time at a local boundary goes through here.
/// </summary>
internal static class LocalClock
{
    public static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    public static DateTime Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>Every instant at which the wall clock reads <paramref name="local"/>: none in a gap, two in an overlap.</summary>
    public static IEnumerable<DateTimeOffset> Instants(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) yield break;
        if (zone.IsAmbiguousTime(local))
        {
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local).Distinct().OrderByDescending(o => o))
                yield return new DateTimeOffset(local, offset);
            yield break;
        }
        yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The first instant at which the wall clock reads <paramref name="local"/> or later: the earlier one in an overlap,
    /// and the end of the gap when the clock jumps over it.
    /// </summary>
    public static DateTimeOffset Start(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        foreach (var instant in Instants(local, zone)) return instant;

        // In a gap: the jump happens between the instants the offsets on either side would give.
        var before = zone.GetUtcOffset(local - TimeSpan.FromHours(6));
        var after = zone.GetUtcOffset(local + TimeSpan.FromHours(6));
        var lo = new DateTimeOffset(local - (before > after ? before : after), TimeSpan.Zero);
        var hi = new DateTimeOffset(local - (before > after ? after : before), TimeSpan.Zero);
        return FirstWhere(lo, hi, t => Local(t, zone) >= local).ToOffset(after);
    }

    /// <summary>
    /// The instants in (from, to] at which the zone's UTC offset changes, one day at a time without an enumerator
    /// (assumes at most one change a day): looks at the day from <paramref name="t0"/> (or less, up to <paramref name="to"/>),
    /// moves t0 past it, and gives the change found there, if any. Call from t0 = from while t0 &lt; to.
    /// </summary>
    public static DateTimeOffset? NextOffsetChange(TimeZoneInfo zone, ref DateTimeOffset t0, DateTimeOffset to)
    {
        var start = t0;
        var t1 = start + OneDay < to ? start + OneDay : to;
        t0 = t1;
        var o0 = zone.GetUtcOffset(start);
        return zone.GetUtcOffset(t1) != o0 ? FirstOffsetOtherThan(zone, start, t1, o0) : null;
    }

    // Its own method, so the closure over o0 is made only when there is a change to find, not on every step.
    private static DateTimeOffset FirstOffsetOtherThan(TimeZoneInfo zone, DateTimeOffset lo, DateTimeOffset hi, TimeSpan o0) =>
        FirstWhere(lo, hi, t => zone.GetUtcOffset(t) != o0);

    /// <summary>Binary search in ticks for the first instant in (lo, hi] where a monotone predicate turns true.</summary>
    private static DateTimeOffset FirstWhere(DateTimeOffset lo, DateTimeOffset hi, Func<DateTimeOffset, bool> holds)
    {
        long a = lo.UtcTicks, b = hi.UtcTicks;
        while (b - a > 1)
        {
            var mid = a + (b - a) / 2;
            if (holds(new DateTimeOffset(mid, TimeSpan.Zero))) b = mid; else a = mid;
        }
        return new DateTimeOffset(b, TimeSpan.Zero);
    }
}
