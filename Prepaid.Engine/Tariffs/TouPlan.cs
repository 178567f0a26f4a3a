using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Prepaid.Engine;

/// <summary>
/// What R11's time split needs of a TOU version's segments, worked out once per segment list instead of per call:
/// the day's ranges, the boundaries, the distinct periods in order, and per zone and local day the instants at which
/// the boundaries fall (LocalClock.Instants, the costly part). Plans are kept per segment list in a weak table and
/// checked against it on every use (same list, same segment objects), so a list changed in place is planned again.
/// </summary>
internal sealed class TouPlan
{
    /// <summary>Local days remembered per zone; past it, instants are computed and not kept.</summary>
    private const int MaxDays = 20_000;

    private static readonly ConditionalWeakTable<IReadOnlyList<TouSegment>, TouPlan> Plans = new();

    private readonly TouSegment[] segments;
    private readonly ConditionalWeakTable<TimeZoneInfo, ZoneDays> zones = new();
    private volatile ZoneDays? lastZone;

    private TouPlan(IReadOnlyList<TouSegment> source)
    {
        segments = [.. source];
        var ranges = TouDay.Ranges(segments);
        Ranges = [.. ranges];
        Boundaries = [.. TouDay.Boundaries(ranges)];
        Periods = [.. Ranges.Select(r => r.Period).Distinct().Order()];
        PeriodIndex = [.. Ranges.Select(r => Array.IndexOf(Periods, r.Period))];
    }

    public TouRange[] Ranges { get; }

    /// <summary>TouDay.Boundaries of the ranges: ascending local times of day, midnight included.</summary>
    public long[] Boundaries { get; }

    /// <summary>The distinct periods of the ranges, ascending (the order of a SortedDictionary by period).</summary>
    public Period[] Periods { get; }

    /// <summary>For each range, the index of its period in Periods.</summary>
    private int[] PeriodIndex { get; }

    public static TouPlan Of(TouVersion version)
    {
        var source = version.Segments;
        if (Plans.TryGetValue(source, out var plan) && plan.Matches(source)) return plan;
        plan = new TouPlan(source);
        Plans.AddOrUpdate(source, plan);
        return plan;
    }

    private bool Matches(IReadOnlyList<TouSegment> source)
    {
        if (source.Count != segments.Length) return false;
        for (var i = 0; i < segments.Length; i++)
            if (!ReferenceEquals(source[i], segments[i])) return false;
        return true;
    }

    /// <summary>
    /// The period in force at a local time of day, as an index into Periods: the first range in (Start, Segment) order
    /// that holds it. Throws when the segments leave it uncovered.
    /// </summary>
    public int PeriodIndexAt(long timeOfDay)
    {
        var ranges = Ranges;
        for (var i = 0; i < ranges.Length; i++)
            if (ranges[i].Start <= timeOfDay && timeOfDay < ranges[i].End) return PeriodIndex[i];
        throw new InvalidOperationException($"No TOU segment covers {new TimeOnly(timeOfDay):HH:mm:ss}.");
    }

    /// <summary>
    /// Every instant at which a boundary falls on the local <paramref name="day"/> (LocalClock.Instants of day + boundary,
    /// boundaries ascending), each with its local time of day, or −1 where that was not worked out.
    /// </summary>
    public DayCut[] Cuts(TimeZoneInfo zone, DateTime day)
    {
        var days = lastZone;
        if (days is null || !ReferenceEquals(days.Zone, zone))
        {
            days = zones.GetValue(zone, static z => new ZoneDays(z));
            lastZone = days;
        }
        if (days.Cuts.TryGetValue(day.Ticks, out var cuts)) return cuts;

        var list = new List<DayCut>(Boundaries.Length + 2);
        foreach (var boundary in Boundaries)
            foreach (var instant in LocalClock.Instants(day.AddTicks(boundary), zone))
                list.Add(new DayCut(instant.UtcTicks, TimeOfDay(instant, zone)));
        cuts = [.. list];
        if (days.Cuts.Count < MaxDays) days.Cuts.TryAdd(day.Ticks, cuts);
        return cuts;
    }

    /// <summary>The local time of day of an instant, or −1 too near the ends of time to convert safely (done later, if needed).</summary>
    private static long TimeOfDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        instant.UtcTicks > DateTime.MinValue.Ticks + 2 * TimeSpan.TicksPerDay && instant.UtcTicks < DateTime.MaxValue.Ticks - 2 * TimeSpan.TicksPerDay
            ? LocalClock.Local(instant, zone).TimeOfDay.Ticks
            : -1;

    private sealed class ZoneDays(TimeZoneInfo zone)
    {
        public TimeZoneInfo Zone { get; } = zone;
        public ConcurrentDictionary<long, DayCut[]> Cuts { get; } = new();
    }
}

/// <summary>An instant in UTC ticks where the TOU period may change, with its local time of day (−1: not known yet).</summary>
internal readonly record struct DayCut(long UtcTicks, long TimeOfDay);
