using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Ledger;
using Prepaid.Engine;

namespace Prepaid.Api.Accounts;

/// <summary>What posting needs of a site: its zone, its friendly cut-off calendar, its ledger accounts.</summary>
public sealed record SiteRuntime(long Id, TimeZoneInfo Zone, FriendlyCutoff Cutoff, IReadOnlyDictionary<string, long> LedgerIds)
{
    public static async Task<SiteRuntime?> LoadAsync(DbConnection connection, DbTransaction? tx, long siteId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string TimeZone, string? NightFrom, string? NightTo, long Weekends)>(
            "SELECT id, time_zone, night_from, night_to, weekends_friendly FROM sites WHERE id = @siteId", new { siteId }, tx);
        if (row.Id == 0) return null;
        var holidays = (await connection.QueryAsync<string>("SELECT day FROM site_holidays WHERE site_id = @siteId", new { siteId }, tx))
            .Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd")).ToHashSet();
        var cutoff = new FriendlyCutoff(
            row.NightFrom is null ? null : TimeOnly.ParseExact(row.NightFrom, "HH:mm"),
            row.NightTo is null ? null : TimeOnly.ParseExact(row.NightTo, "HH:mm"),
            row.Weekends == 1, holidays);
        return new SiteRuntime(row.Id, ApiFormat.Zone(row.TimeZone), cutoff, await SiteLedger.IdsAsync(connection, tx, siteId));
    }
}
