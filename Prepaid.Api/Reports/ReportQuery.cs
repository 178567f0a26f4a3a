using System.Globalization;
using Prepaid.Api.Common;

namespace Prepaid.Api.Reports;

/// <summary>A report's period [from, to) and site filter. Dates without a time mean midnight in the site's zone (UTC without a site).</summary>
public sealed record ReportQuery(long FromMs, long ToMs, long? SiteId, string? SitesJson, TimeZoneInfo Zone)
{
    public const string BoundDoc = "A date yyyy-MM-dd (midnight in the site's zone) or an ISO 8601 instant with offset, 2000-01-01 … 2100-01-01.";
    public const int BoundMax = 40;

    public static bool TryParse(string? from, string? to, long? siteId, string? sitesJson, TimeZoneInfo zone, out ReportQuery query, out IResult? problem)
    {
        query = null!;
        problem = null;
        var errors = new Dictionary<string, string[]>();
        var f = Parse(from, zone);
        var t = Parse(to, zone);
        if (f is null) errors["from"] = ["Must be a date (2026-11-01) or an ISO 8601 instant with offset, from 2000-01-01 to 2100-01-01."];
        if (t is null) errors["to"] = ["Must be a date (2026-11-30) or an ISO 8601 instant with offset, from 2000-01-01 to 2100-01-01."];
        if (f is not null && t is not null && t <= f) errors["to"] = ["Must be later than from."];
        if (errors.Count > 0)
        {
            problem = Problems.Fields(errors);
            return false;
        }
        query = new ReportQuery(f!.Value.ToUnixTimeMilliseconds(), t!.Value.ToUnixTimeMilliseconds(), siteId, sitesJson, zone);
        return true;
    }

    public static DateTimeOffset? Parse(string? text, TimeZoneInfo zone)
    {
        if (ApiFormat.TryInstant(text, out var at)) return at;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && Limits.InRange(day))
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        return null;
    }

    /// <summary>The SQL parameters (@FromMs, @ToMs, @SiteId, @SitesJson).</summary>
    public object Sql => new { FromMs, ToMs, SiteId, SitesJson };

    public string Local(long ms) => ApiFormat.Instant(ms, Zone);

    public string LocalDay(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
