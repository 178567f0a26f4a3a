using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// Meters that had sent no reading for longer than the dashboard's offline limit at the end of the period (or now, if
/// earlier). Judged from stored readings; the device layer's gateway link state will refine it when it lands.
/// </summary>
public static class OfflineReport
{
    public static async Task<ReportTable> RunAsync(DbConnection connection, Db db, ReportQuery q, long nowMs, TimeSpan offlineAfter)
    {
        var atMs = Math.Min(q.ToMs, nowMs);
        var rows = await connection.QueryAsync<(string SiteName, string Serial, string Utility, string? TenantName, long? LastAtMs)>($"""
            SELECT s.name AS site_name, m.serial, m.utility, tn.name AS tenant_name,
                   (SELECT MAX(r.at_ms) FROM readings r WHERE r.meter_block = m.id / 64 AND r.meter_id = m.id AND r.at_ms <= @atMs) AS last_at_ms
            FROM meters m JOIN sites s ON s.id = m.site_id
            LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
            LEFT JOIN accounts a ON a.id = am.account_id LEFT JOIN tenants tn ON tn.id = a.tenant_id
            WHERE (@SiteId IS NULL OR m.site_id = @SiteId) AND (@SitesJson IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            ORDER BY s.name, m.serial
            """, new { atMs, q.SiteId, q.SitesJson });
        var table = new ReportTable(new("site"), new("serial"), new("utility"), new("tenant"), new("lastReadingAt"), new("silentHours", ColumnKind.Count));
        var limitMs = (long)offlineAfter.TotalMilliseconds;
        foreach (var r in rows.Where(r => r.LastAtMs is null || atMs - r.LastAtMs > limitMs))
            table.Add(r.SiteName, r.Serial, r.Utility, r.TenantName, r.LastAtMs is { } l ? q.Local(l) : null,
                r.LastAtMs is { } last ? (atMs - last) / 3_600_000 : null);
        return table;
    }
}
