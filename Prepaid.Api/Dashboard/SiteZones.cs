using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Localization;

namespace Prepaid.Api.Dashboard;

/// <summary>What events with text need before they go out: instants in the site's zone, text in the group's language.</summary>
public sealed class SiteZones(Db db)
{
    readonly ConcurrentDictionary<long, TimeZoneInfo> zones = new();

    public async Task<string> InSiteZoneAsync(long siteId, string at)
    {
        if (!zones.TryGetValue(siteId, out var zone))
        {
            await using var connection = await db.OpenAsync();
            var id = await connection.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId });
            if (id is null) return at;
            zones[siteId] = zone = ApiFormat.Zone(id);
        }
        return DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? ApiFormat.Instant(TimeZoneInfo.ConvertTime(t, zone)) : at;
    }

    public static string? Localize(string? text, string language) =>
        text is null ? null : Catalog.Localize(text, CultureInfo.GetCultureInfo(language));
}
