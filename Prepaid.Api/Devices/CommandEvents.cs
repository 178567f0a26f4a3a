using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Devices;

/// <summary>
/// Records command state changes in <c>command_events</c> inside the transaction that makes them, so the dashboard's
/// push comes from what is committed rather than from the process that committed it: a node killed after its commit
/// has still told every client (each node sends the rows to its own clients, see Dashboard/CommandEventFollower).
/// Callers publish the same changes on <see cref="DeviceEventBus"/> after the commit, which only wakes the followers.
/// </summary>
public static class CommandEvents
{
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, IEnumerable<CommandChange> changes)
    {
        // The site from the meter's row in the same statement: no look-up of its own, and the meter's current site.
        const string sql = """
            INSERT INTO command_events (site_id, meter_id, command_id, kind, state, error, batch_id, at_ms)
            SELECT site_id, id, @CommandId, @Kind, @State, @Shown, @BatchId, @AtMs FROM meters WHERE id = @MeterId
            """;
        foreach (var c in changes)
            await connection.ExecuteAsync(sql, new { c.CommandId, c.Kind, c.State, Shown = c.Error ?? c.Detail, c.BatchId,
                AtMs = c.At.ToUnixTimeMilliseconds(), c.MeterId }, tx);
    }
}
