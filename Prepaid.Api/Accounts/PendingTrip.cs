using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Accounts;

/// <summary>
/// When supply will be cut (R16): an account in arrears whose trip waits in the outbox, most often for the end of the
/// site's friendly cut-off window (the row's not_before). Each meter's newest unconsumed switch request decides, as in
/// the dispatcher's import: a later close (a top-up) cancels the waiting trip.
/// </summary>
public static class PendingTrip
{
    public static async Task<long?> SupplyCutAtMsAsync(DbConnection connection, long accountId)
    {
        var requests = await connection.QueryAsync<(long MeterId, string PayloadJson, long NotBeforeMs)>("""
            SELECT o.meter_id, o.payload_json, o.not_before_ms
            FROM outbox o JOIN accounts a ON a.id = o.account_id
            JOIN account_meters am ON am.account_id = a.id AND am.meter_id = o.meter_id AND am.closed_at_ms IS NULL
            WHERE o.account_id = @accountId AND o.kind = 'switchRequested' AND o.consumed_at_ms IS NULL
              AND a.state = 'arrears' AND a.keep_on = 0 AND a.closed_at_ms IS NULL
            ORDER BY o.id
            """, new { accountId });
        long? cutAt = null;
        foreach (var newest in requests.GroupBy(r => r.MeterId).Select(g => g.Last()))
        {
            if (!newest.PayloadJson.Contains("\"action\":\"trip\"", StringComparison.Ordinal)) continue;
            cutAt = cutAt is { } c ? Math.Min(c, newest.NotBeforeMs) : newest.NotBeforeMs;
        }
        return cutAt;
    }
}
