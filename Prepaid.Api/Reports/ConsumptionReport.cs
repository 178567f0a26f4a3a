using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// Billed consumption and its price per meter over the period, with the tenant it was billed to; <c>estimated</c> counts
/// the estimated readings (R30) among them. A meter with no reading in the period has no row: no data is never a zero.
/// </summary>
public static class ConsumptionReport
{
    public static async Task<ReportTable> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var rows = await connection.QueryAsync<(string SiteName, string Serial, string Utility, string? TenantName, long? AccountId, long Readings, long Estimated, long QuantityMilli, long AmountFen)>($"""
            SELECT s.name AS site_name, m.serial, m.utility, tn.name AS tenant_name, am.account_id,
                   COUNT(*) AS readings, CAST(SUM(CASE WHEN r.source = 'estimate' THEN 1 ELSE 0 END) AS BIGINT) AS estimated, CAST(SUM(COALESCE(r.quantity_milli, 0)) AS BIGINT) AS quantity_milli, CAST(SUM(r.amount_fen) AS BIGINT) AS amount_fen
            FROM readings r JOIN meters m ON m.id = r.meter_id JOIN sites s ON s.id = m.site_id
            LEFT JOIN account_meters am ON am.id = r.account_meter_id
            LEFT JOIN accounts a ON a.id = am.account_id LEFT JOIN tenants tn ON tn.id = a.tenant_id
            WHERE r.at_ms >= @FromMs AND r.at_ms < @ToMs AND r.amount_fen IS NOT NULL
              AND (@SiteId IS NULL OR m.site_id = @SiteId) AND (@SitesJson IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            GROUP BY s.name, m.serial, m.utility, tn.name, am.account_id
            ORDER BY s.name, m.serial
            """, q.Sql);
        var table = new ReportTable(new("site"), new("serial"), new("utility"), new("tenant"), new("accountId", ColumnKind.Count),
            new("readings", ColumnKind.Count), new("estimated", ColumnKind.Count), new("quantity", ColumnKind.Quantity), new("amount", ColumnKind.Amount));
        foreach (var r in rows) table.Add(r.SiteName, r.Serial, r.Utility, r.TenantName, r.AccountId, r.Readings, r.Estimated, r.QuantityMilli, r.AmountFen);
        return table;
    }
}
