namespace Prepaid.Engine;

/// <summary>
/// A site's friendly cut-off calendar (R16): no trips at night, on weekends, or on holidays.
/// Night wraps midnight when NightFrom &gt; NightTo (22:00–07:00). Null night means no night window.
/// </summary>
public sealed record FriendlyCutoff(TimeOnly? NightFrom, TimeOnly? NightTo, bool Weekends, IReadOnlySet<DateOnly> Holidays)
{
    public static readonly FriendlyCutoff None = new(null, null, false, new HashSet<DateOnly>());

    /// <summary>
    /// The first instant ≥ now at which a trip is allowed (now itself when no window is open), in Zone's local rules.
    /// A night with NightFrom = NightTo is empty.
    /// </summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now, TimeZoneInfo zone)
    {
        var t = now;
        // Each step moves to the next local midnight or night end, so it ends after at most a few steps per closed day.
        for (var steps = 0; BlocksTrip(t, zone); steps++)
        {
            if (steps > 100_000) throw new InvalidOperationException("The friendly cut-off calendar never opens.");
            var local = LocalClock.Local(t, zone);
            var next = LocalClock.Start(local.Date + LocalClock.OneDay, zone);
            if (NightTo is { } end && NightFrom is not null)
            {
                var nightEnd = LocalClock.Start(local.Date + end.ToTimeSpan(), zone);
                if (nightEnd > t && nightEnd < next) next = nightEnd;
            }
            // Only a clock set back across midnight could lead here; step on rather than loop.
            t = next > t ? next : t + TimeSpan.FromHours(1);
        }
        return t;
    }

    /// <summary>Whether a friendly window is open at an instant, so that no trip may happen then.</summary>
    public bool BlocksTrip(DateTimeOffset at, TimeZoneInfo zone) => BlocksTrip(LocalClock.Local(at, zone));

    private bool BlocksTrip(DateTime local) =>
        Holidays.Contains(DateOnly.FromDateTime(local))
        || (Weekends && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        || IsNight(TimeOnly.FromDateTime(local));

    private bool IsNight(TimeOnly time) => (NightFrom, NightTo) switch
    {
        ({ } from, { } to) when from < to => from <= time && time < to,
        ({ } from, { } to) when from > to => time >= from || time < to,
        _ => false,
    };
}
