using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Devices;

/// <summary>
/// Records command state changes in <c>command_events</c> inside the transaction that makes them, so the dashboard's
/// push comes from what is committed rather than from the process that committed it: a node killed after its commit
/// has still told every client (each node sends the rows to its own clients, see Dashboard/CommandEventFollower).
/// Callers publish the same changes on <see cref="DeviceEventBus"/> after the commit, which only wakes the followers.
/// </summary>
public static class CommandEvents
{
    static readonly Column[] Columns =
    [
        Column.BigInt("site_id"), Column.BigInt("meter_id"), Column.BigInt("command_id"), Column.Text("kind"), Column.Text("state"),
        Column.LongText("error"), Column.BigInt("batch_id"), Column.BigInt("at_ms"),
    ];

    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyList<CommandChange> changes, CancellationToken ct = default)
    {
        if (changes.Count == 0) return;
        // Each event carries its meter's current site: one look-up for all the changes' meters, then one prepared insert
        // for all the rows (a switch of hundreds of meters is hundreds of changes in one transaction).
        var siteOf = new Dictionary<long, long>();
        var ids = System.Text.Json.JsonSerializer.Serialize(changes.Select(c => c.MeterId).Distinct());
        foreach (var (meterId, siteId) in await connection.QueryAsync<(long, long)>(
            new CommandDefinition($"SELECT id, site_id FROM meters WHERE id IN {dialect.IdsFromJson("@ids")}", new { ids }, tx, cancellationToken: ct)))
            siteOf[meterId] = siteId;
        // A change of a meter that no longer exists has no site to be shown in: it is not recorded.
        var rows = changes.Where(c => siteOf.ContainsKey(c.MeterId)).ToList();
        await BulkInsert.RowsAsync(connection, tx, dialect, "command_events", Columns, rows, (c, v) =>
            {
                v[0] = siteOf[c.MeterId]; v[1] = c.MeterId; v[2] = c.CommandId; v[3] = c.Kind; v[4] = c.State; v[5] = c.Error ?? c.Detail;
                v[6] = c.BatchId; v[7] = c.At.ToUnixTimeMilliseconds();
            }, ct);
    }
}
