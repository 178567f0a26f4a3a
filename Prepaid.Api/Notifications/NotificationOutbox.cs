using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Prepaid.Api.Notifications;

/// <summary>
/// The one door into the notifications outbox. Every producer calls <see cref="EnqueueAsync"/>: the planner (balance
/// alarms, supply cut, payments, the building's leak alarms, all read from what the money path and the checks already
/// stored) and the statement run. One row per channel the tenant subscribed the kind on; an event already enqueued
/// (same key and channel) adds nothing.
/// </summary>
public sealed class NotificationOutbox
{
    public async Task<int> EnqueueAsync(DbConnection connection, DbTransaction? tx, NotificationEvent e, long nowMs)
    {
        var subscriptions = await connection.QueryAsync<(string Channel, string Address, string Kinds)>(
            "SELECT channel, address, kinds FROM notification_subscriptions WHERE tenant_id = @TenantId", new { e.TenantId }, tx);
        var json = JsonSerializer.Serialize(e.Params);
        var added = 0;
        foreach (var s in subscriptions)
        {
            if (!s.Kinds.Split(',').Contains(NotificationKinds.SubscribedAs(e.Kind))) continue;
            // Writes are serialized (Db.WriteGate); the unique index still refuses a duplicate that slips past.
            added += await connection.ExecuteAsync("""
                INSERT INTO notifications (tenant_id, account_id, kind, channel, address, dedup_key, params_json, state, attempts, not_before_ms, created_at_ms)
                SELECT @TenantId, @AccountId, @Kind, @Channel, @Address, @DedupKey, @json, 'pending', 0, @nowMs, @nowMs
                WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE dedup_key = @DedupKey AND channel = @Channel)
                """, new { e.TenantId, e.AccountId, e.Kind, s.Channel, s.Address, e.DedupKey, json, nowMs }, tx);
        }
        return added;
    }

    /// <summary>"Statement ready" for an account's tenant, once per account and period.</summary>
    public Task<int> StatementReadyAsync(DbConnection connection, long tenantId, long accountId, string period, long nowMs) =>
        EnqueueAsync(connection, null, new NotificationEvent(NotificationKinds.StatementReady, tenantId, accountId, $"statement:{accountId}:{period}",
            new Dictionary<string, string> { ["account"] = accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["period"] = period }), nowMs);
}
