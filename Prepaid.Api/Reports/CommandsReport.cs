using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// The command log, read from the device layer's <c>device_commands</c> table (id, meter_id, kind, status, attempts,
/// created_at_ms, completed_at_ms, error: the contract in the style notes). Until that table exists the report
/// answers null, and the endpoint says 501 rather than pretend there were no commands.
/// </summary>
public static class CommandsReport
{
    public static async Task<ReportTable?> RunAsync(DbConnection connection, Db db, ReportQuery q)
    {
        var exists = await connection.ExecuteScalarAsync<long>(db.Dialect is SqliteDialect
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'device_commands'"
            : "SELECT COUNT(*) FROM sys.tables WHERE name = 'device_commands'");
        if (exists == 0) return null;
        var rows = await connection.QueryAsync<(long CreatedAtMs, string SiteName, string Serial, string Kind, string Status, long Attempts, long? CompletedAtMs, string? Error)>($"""
            SELECT c.created_at_ms, s.name AS site_name, m.serial, c.kind, c.status, c.attempts, c.completed_at_ms, c.error
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
