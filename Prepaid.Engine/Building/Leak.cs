namespace Prepaid.Engine;

public enum LeakDecision { None, Raise, Clear }

/// <summary>
/// R33: a water meter is leaking when each of the last 24 whole hours shows a positive delta and together they reach
/// its leak volume; the alarm is raised once and cleared by an hour with no flow.
/// </summary>
public static class Leak
{
    /// <summary>The sensitivity of a 1 pulse / 10 L meter over a day.</summary>
    public const decimal DefaultVolume = 0.480m;

    public const int Hours = 24;

    /// <summary>The start of the whole hour <paramref name="now"/> is in, on the site's wall clock.</summary>
    public static DateTimeOffset HourStart(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
    }

    /// <summary>
    /// What to do with a meter's leak alarm at <paramref name="now"/>. Without an open alarm: raise when each of the 24
    /// whole hours before the current one shows a positive delta summing to at least <paramref name="volume"/>. With one
    /// open since <paramref name="openSince"/>: clear when any whole hour from the one it was raised in shows no flow
    /// (a zero delta; an hour without data says nothing), so a pass that ran late still sees the quiet hour.
    /// </summary>
    public static LeakDecision Decide(IReadOnlyList<(DateTimeOffset At, decimal Total)> unwrapped, DateTimeOffset now, TimeZoneInfo zone, decimal volume, DateTimeOffset? openSince)
    {
        var end = HourStart(now, zone);
        if (openSince is { } since)
        {
            for (var start = HourStart(since, zone); start < end; start = start.AddHours(1))
                if (PeriodQuantity.Of(unwrapped, start, start.AddHours(1)) == 0m) return LeakDecision.Clear;
            return LeakDecision.None;
        }
        var sum = 0m;
        for (var start = end.AddHours(-Hours); start < end; start = start.AddHours(1))
        {
            if (PeriodQuantity.Of(unwrapped, start, start.AddHours(1)) is not { } delta || delta <= 0m) return LeakDecision.None;
            sum += delta;
        }
        return sum >= volume ? LeakDecision.Raise : LeakDecision.None;
    }
}
