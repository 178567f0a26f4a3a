using System.Globalization;

namespace Prepaid.Api.Notifications;

/// <summary>A tenant's quiet window [from, to) in the site's wall-clock time; it may span midnight (22:00–07:00).</summary>
public static class QuietHours
{
    public static bool TryParse(string? text, out TimeOnly at) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out at);

    /// <summary>When a message may go at the earliest: now, or the window's end when now is inside it.</summary>
    public static DateTimeOffset Release(DateTimeOffset now, string? from, string? to, TimeZoneInfo zone)
    {
        if (!TryParse(from, out var f) || !TryParse(to, out var t) || f == t) return now;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = f < t ? time >= f && time < t : time >= f || time < t;
        if (!inside) return now;
        var endDay = local.Date;
        if (f > t && time >= f) endDay = endDay.AddDays(1);
        var end = endDay + t.ToTimeSpan();
        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }
}
