using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Prepaid.Engine;

/// <summary>
/// Memoised answers of LocalClock for one time zone. A TimeZoneInfo never changes its rules, so a pure function of
/// (zone, input) can be remembered per zone instance; the cache is keyed by reference and dies with the zone.
/// </summary>
internal sealed class ZoneCache
{
    /// <summary>Enough for centuries of months; past it, answers are computed and not kept.</summary>
    private const int MaxEntries = 20_000;

    private static readonly ConditionalWeakTable<TimeZoneInfo, ZoneCache> Caches = new();

    [ThreadStatic] private static ZoneCache? last;

    private readonly ConcurrentDictionary<long, DateTimeOffset> monthStarts = new();

    private ZoneCache(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    public static ZoneCache Of(TimeZoneInfo zone)
    {
        var cache = last;
        if (cache is not null && ReferenceEquals(cache.Zone, zone)) return cache;
        cache = Caches.GetValue(zone, static z => new ZoneCache(z));
        last = cache;
        return cache;
    }

    /// <summary>LocalClock.Start(month, Zone), remembered.</summary>
    public DateTimeOffset Start(DateTime month)
    {
        var key = month.Ticks;
        if (monthStarts.TryGetValue(key, out var start)) return start;
        start = LocalClock.Start(month, Zone);
        if (monthStarts.Count < MaxEntries) monthStarts.TryAdd(key, start);
        return start;
    }
}
