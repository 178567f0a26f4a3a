namespace Prepaid.Engine;

/// <summary>
/// A site's friendly cut-off calendar (R16): no trips at night, on weekends, or on holidays.
/// Night wraps midnight when NightFrom &gt; NightTo (22:00–07:00). Null night means no night window.
/// </summary>
public sealed record FriendlyCutoff(TimeOnly? NightFrom, TimeOnly? NightTo, bool Weekends, IReadOnlySet<DateOnly> Holidays)
{
    public static readonly FriendlyCutoff None = new(null, null, false, new HashSet<DateOnly>());

    /// <summary>The first instant ≥ now at which a trip is allowed (now itself when no window is open), in Zone's local rules.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now, TimeZoneInfo zone)
        => throw new NotImplementedException();
}
