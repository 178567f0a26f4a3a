using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>Top-ups per day (in the site's zone), channel and operator: what the counter and the payment channels took in.</summary>
public static class SalesReport
{
    public static async Task<ReportTable> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var rows = await connection.QueryAsync<(long AtMs, string SiteName, string Channel, string? Username, long AmountFen, long FeeFen, long CreditedFen)>($"""
            SELECT t.at_ms, s.name AS site_name, t.channel, u.username, t.amount_fen, t.fee_fen, t.credited_fen
            FROM topups t JOIN accounts a ON a.id = t.account_id JOIN sites s ON s.id = a.site_id LEFT JOIN users u ON u.id = t.user_id
            WHERE t.at_ms >= @FromMs AND t.at_ms < @ToMs AND (@SiteId IS NULL OR a.site_id = @SiteId)
              AND (@SitesJson IS NULL OR a.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            """, q.Sql);
        var table = new ReportTable(new("day"), new("site"), new("channel"), new("operator"), new("count", ColumnKind.Count),
            new("amount", ColumnKind.Amount), new("fee", ColumnKind.Amount), new("credited", ColumnKind.Amount));
        foreach (var g in rows.GroupBy(r => (Day: q.LocalDay(r.AtMs), r.SiteName, r.Channel, Operator: r.Username ?? "-"))
                     .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.SiteName).ThenBy(g => g.Key.Channel).ThenBy(g => g.Key.Operator))
            table.Add(g.Key.Day, g.Key.SiteName, g.Key.Channel, g.Key.Operator, (long)g.Count(), g.Sum(r => r.AmountFen), g.Sum(r => r.FeeFen), g.Sum(r => r.CreditedFen));
        return table;
    }
}
