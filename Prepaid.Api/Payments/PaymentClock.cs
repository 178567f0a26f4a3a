using System.Globalization;

namespace Prepaid.Api.Payments;

/// <summary>Both channels keep their books in China Standard Time (no daylight saving), whatever the server's zone.</summary>
public static class PaymentClock
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static readonly TimeZoneInfo ChinaZone = TimeZoneInfo.CreateCustomTimeZone("China Standard Time (payments)", ChinaOffset, "CST", "CST");

    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaOffset).DateTime);

    /// <summary>The UTC instants [from, to) of a China day.</summary>
    public static (long FromMs, long ToMs) DayRange(DateOnly day)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaOffset);
        return (from.ToUnixTimeMilliseconds(), from.AddDays(1).ToUnixTimeMilliseconds());
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
