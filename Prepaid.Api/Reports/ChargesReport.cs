using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>Recurring charges posted (R28) per due day (in the site's zone), account and agreement, corrections included.</summary>
public static class ChargesReport
{
    public static async Task<ReportTable> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var rows = await connection.QueryAsync<(long AtMs, string SiteName, long AccountId, string TenantName, string? RoomCode, string Kind, string Name,
            string PeriodKey, long Days, long PeriodDays, long AmountFen)>($"""
            SELECT c.at_ms, s.name AS site_name, c.account_id, t.name AS tenant_name, rm.code AS room_code, g.kind, g.name, c.period_key, c.days,
                   c.period_days, c.amount_fen
            FROM charges c JOIN charge_agreements g ON g.id = c.agreement_id JOIN accounts a ON a.id = c.account_id JOIN sites s ON s.id = a.site_id
            JOIN tenants t ON t.id = a.tenant_id LEFT JOIN rooms rm ON rm.id = a.room_id
            WHERE c.at_ms >= @FromMs AND c.at_ms < @ToMs AND (@SiteId IS NULL OR a.site_id = @SiteId)
              AND (@SitesJson IS NULL OR a.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            ORDER BY c.at_ms, c.id
            """, q.Sql);
        var table = new ReportTable(new("day"), new("site"), new("accountId", ColumnKind.Count), new("tenant"), new("room"), new("kind"), new("name"),
            new("period"), new("days", ColumnKind.Count), new("periodDays", ColumnKind.Count), new("amount", ColumnKind.Amount));
        foreach (var r in rows)
            table.Add(q.LocalDay(r.AtMs), r.SiteName, r.AccountId, r.TenantName, r.RoomCode ?? "-", r.Kind, r.Name, r.PeriodKey, r.Days, r.PeriodDays, r.AmountFen);
        return table;
    }
}
