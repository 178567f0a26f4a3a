using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Helpdesk;

/// <summary>The overview's helpdesk figures: open and assigned requests per site of the caller's scope.</summary>
public static class HelpdeskCounts
{
    public static async Task<object> LoadAsync(DbConnection connection, Db db, long? siteId, string? sitesJson)
    {
        var rows = (await connection.QueryAsync<(long SiteId, string Name, string State, long Count)>($"""
            SELECT r.site_id, s.name, r.state, CAST(COUNT(*) AS BIGINT) AS n
            FROM helpdesk_requests r JOIN sites s ON s.id = r.site_id
            WHERE r.state IN ('open', 'assigned') AND (@siteId IS NULL OR r.site_id = @siteId) AND (@sites IS NULL OR r.site_id IN {db.Dialect.IdsFromJson("@sites")})
            GROUP BY r.site_id, s.name, r.state
            """, new { siteId, sites = sitesJson })).ToList();
        long Count(IEnumerable<(long SiteId, string Name, string State, long Count)> of, string state) => of.Where(r => r.State == state).Sum(r => r.Count);
        return new
        {
            open = Count(rows, HelpdeskRules.Open), assigned = Count(rows, HelpdeskRules.Assigned),
            bySite = rows.GroupBy(r => (r.SiteId, r.Name)).OrderBy(g => g.Key.Name, StringComparer.Ordinal)
                .Select(g => new { siteId = g.Key.SiteId, site = g.Key.Name, open = Count(g, HelpdeskRules.Open), assigned = Count(g, HelpdeskRules.Assigned) }),
        };
    }
}
