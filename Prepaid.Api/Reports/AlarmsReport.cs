using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// Alarm history: every state change into alarm 1, alarm 2 or arrears, from the outbox the postings wrote.
/// Device alarms (tamper, leak, offline) join this report when the device layer stores them.
/// </summary>
public static class AlarmsReport
{
    public static async Task<ReportTable> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var rows = await connection.QueryAsync<(long CreatedAtMs, string SiteName, long? AccountId, string? TenantName, string PayloadJson)>($"""
            SELECT o.created_at_ms, s.name AS site_name, o.account_id, tn.name AS tenant_name, o.payload_json
            FROM outbox o JOIN sites s ON s.id = o.site_id
            LEFT JOIN accounts a ON a.id = o.account_id LEFT JOIN tenants tn ON tn.id = a.tenant_id
            WHERE o.kind = 'stateChanged' AND o.created_at_ms >= @FromMs AND o.created_at_ms < @ToMs
              AND (@SiteId IS NULL OR o.site_id = @SiteId) AND (@SitesJson IS NULL OR o.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            ORDER BY o.id
            """, q.Sql);
        var table = new ReportTable(new("at"), new("site"), new("accountId", ColumnKind.Count), new("tenant"), new("kind"), new("from"), new("balance"));
        foreach (var r in rows)
        {
            using var payload = JsonDocument.Parse(r.PayloadJson);
            var to = payload.RootElement.GetProperty("to").GetString();
            if (to is not ("alarm1" or "alarm2" or "arrears")) continue;
            table.Add(q.Local(r.CreatedAtMs), r.SiteName, r.AccountId, r.TenantName, to, payload.RootElement.GetProperty("from").GetString(),
                payload.RootElement.GetProperty("balance").GetString());
        }
        return table;
    }
}
