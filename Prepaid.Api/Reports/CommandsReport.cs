using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// The command log, read from the device layer's <c>device_commands</c>: who asked (engine, operator, batch), what,
/// its state (requested, sent, confirmed, failed, expired), attempts, when it last changed, and the error if any.
/// </summary>
public static class CommandsReport
{
    public static async Task<ReportTable?> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var rows = await connection.QueryAsync<(long CreatedAtMs, string SiteName, string Serial, string Kind, string Status, long Attempts, long? CompletedAtMs, string? Error)>($"""
            SELECT c.created_at_ms, s.name AS site_name, m.serial, c.kind, c.state, c.attempts,
                   CASE WHEN c.state IN ('confirmed', 'failed', 'expired') THEN c.updated_at_ms END, COALESCE(c.error, c.detail)
            FROM device_commands c JOIN meters m ON m.id = c.meter_id JOIN sites s ON s.id = m.site_id
            WHERE c.created_at_ms >= @FromMs AND c.created_at_ms < @ToMs
              AND (@SiteId IS NULL OR m.site_id = @SiteId) AND (@SitesJson IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@SitesJson")})
            ORDER BY c.created_at_ms
            """, q.Sql);
        var table = new ReportTable(new("at"), new("site"), new("serial"), new("kind"), new("status"), new("attempts", ColumnKind.Count),
            new("completedAt"), new("error"));
        foreach (var r in rows)
            table.Add(q.Local(r.CreatedAtMs), r.SiteName, r.Serial, r.Kind, r.Status, r.Attempts, r.CompletedAtMs is { } c ? q.Local(c) : null, r.Error);
        return table;
    }
}
