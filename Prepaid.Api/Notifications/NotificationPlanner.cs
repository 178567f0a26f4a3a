using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Common;

namespace Prepaid.Api.Notifications;

/// <summary>
/// Turns what the platform recorded into events for tenants, reading each source from where it last stopped:
/// the outbox (balance alarms 1 and 2 on the way down, a trip that waits for the friendly window: "supply to be cut
/// at", the building's leakStarted / leakCleared), wallet top-ups ("payment received": the counter's and the
/// channels' alike), and confirmed trips and closes ("supply cut", "supply restored"). The money path only writes
/// what it writes anyway; a channel that is down never slows it.
/// </summary>
public static class NotificationPlanner
{
    public static async Task<int> PlanAsync(DbConnection connection, DbTransaction tx, NotificationOutbox outbox, long nowMs)
    {
        var added = 0;
        var cursors = (await connection.QueryAsync<(string Name, long LastId)>("SELECT name, last_id FROM notification_cursors", transaction: tx))
            .ToDictionary(c => c.Name, c => c.LastId);

        var rows = await connection.QueryAsync<(long Id, string Kind, long AccountId, string PayloadJson, long NotBeforeMs, long CreatedAtMs, long TenantId, string TimeZone)>("""
            SELECT o.id, o.kind, o.account_id, o.payload_json, o.not_before_ms, o.created_at_ms, a.tenant_id, s.time_zone
            FROM outbox o JOIN accounts a ON a.id = o.account_id JOIN sites s ON s.id = a.site_id
            WHERE o.id > @last ORDER BY o.id
            """, new { last = cursors.GetValueOrDefault("outbox") }, tx);
        var lastOutbox = cursors.GetValueOrDefault("outbox");
        foreach (var r in rows)
        {
            lastOutbox = r.Id;
            using var payload = JsonDocument.Parse(r.PayloadJson);
            var p = payload.RootElement;
            var account = r.AccountId.ToString(CultureInfo.InvariantCulture);
            var e = r.Kind switch
            {
                // A balance alarm is news on the way down only: a top-up that lifts arrears to alarm 2 is no warning.
                "stateChanged" when Falls(p) && Str(p, "to") == "alarm1" => Balance(NotificationKinds.LowBalance1, $"outbox:{r.Id}"),
                "stateChanged" when Falls(p) && Str(p, "to") == "alarm2" => Balance(NotificationKinds.LowBalance2, $"outbox:{r.Id}"),
                // A trip held back by the friendly window: "supply will be cut at", once per account and instant (one per meter is asked).
                "switchRequested" when Str(p, "action") == "trip" && r.NotBeforeMs > r.CreatedAtMs =>
                    Balance(NotificationKinds.SupplyCutSoon, $"cutSoon:{r.AccountId}:{r.NotBeforeMs}", ("time", Local(r.NotBeforeMs, r.TimeZone))),
                "leakStarted" => Leak(NotificationKinds.Leak, ("since", Local(LeakSince(r.CreatedAtMs, r.TimeZone), r.TimeZone))),
                "leakCleared" => Leak(NotificationKinds.LeakCleared, ("time", Local(r.CreatedAtMs, r.TimeZone))),
                _ => null,
            };
            if (e is not null) added += await outbox.EnqueueAsync(connection, tx, e, nowMs);

            NotificationEvent Balance(string kind, string key, params (string Name, string Value)[] more) =>
                Event(kind, key, [("account", account), ("balance", Str(p, "balance")), .. more]);
            NotificationEvent Leak(string kind, (string Name, string Value) when) =>
                Event(kind, $"outbox:{r.Id}", [("account", account), ("meter", Str(p, "serial")), when]);
            NotificationEvent Event(string kind, string key, (string Name, string Value)[] values) =>
                new(kind, r.TenantId, r.AccountId, key, values.ToDictionary(v => v.Name, v => v.Value));
        }

        var topUps = await connection.QueryAsync<(long Id, string TransferKey, long AccountId, long AmountFen, long TenantId, string? Channel, long BalanceFen)>("""
            SELECT p.id, p.transfer_key, p.account_id, p.amount_fen, a.tenant_id, t.channel, p.credit_balance_after_fen
            FROM postings p JOIN accounts a ON a.id = p.account_id AND p.credit_ledger_id = a.wallet_ledger_id
            LEFT JOIN topups t ON t.transfer_key = p.transfer_key
            WHERE p.id > @last AND p.kind = 'topup' ORDER BY p.id
            """, new { last = cursors.GetValueOrDefault("postings") }, tx);
        foreach (var t in topUps)
            added += await outbox.EnqueueAsync(connection, tx, new NotificationEvent(NotificationKinds.PaymentReceived, t.TenantId, t.AccountId, $"topup:{t.TransferKey}",
                new Dictionary<string, string>
                {
                    ["account"] = t.AccountId.ToString(CultureInfo.InvariantCulture), ["amount"] = ApiFormat.Amount(t.AmountFen),
                    ["channel"] = t.Channel ?? "", ["balance"] = ApiFormat.Amount(t.BalanceFen),
                }), nowMs);
        var lastPosting = await connection.ExecuteScalarAsync<long?>("SELECT MAX(id) FROM postings", transaction: tx) ?? 0;

        var lastCommand = cursors.GetValueOrDefault("commands");
        var commands = (await connection.QueryAsync<(long Id, string Kind, string State, long UpdatedAtMs, string Serial, long TenantId, long AccountId, string TimeZone)>("""
            SELECT c.id, c.kind, c.state, c.updated_at_ms, m.serial, a.tenant_id, a.id, s.time_zone
            FROM device_commands c JOIN meters m ON m.id = c.meter_id
            JOIN account_meters am ON am.meter_id = c.meter_id AND am.closed_at_ms IS NULL
            JOIN accounts a ON a.id = am.account_id JOIN sites s ON s.id = a.site_id
            WHERE c.id > @last AND c.kind IN ('trip', 'close') ORDER BY c.id
            """, new { last = lastCommand }, tx)).ToList();
        // A command still in flight (a sleeping NB-IoT meter may take hours) is read again next time; the settled ones
        // after it are told now, and their keys keep the next reading from telling them twice.
        long? firstOpen = null;
        foreach (var c in commands)
        {
            if (c.State is "requested" or "sent") { firstOpen ??= c.Id; continue; }
            if (firstOpen is null) lastCommand = c.Id;
            if (c.State != "confirmed") continue;
            added += await outbox.EnqueueAsync(connection, tx, new NotificationEvent(c.Kind == "trip" ? NotificationKinds.SupplyCut : NotificationKinds.SupplyRestored,
                c.TenantId, c.AccountId, $"command:{c.Id}", new Dictionary<string, string>
                {
                    ["account"] = c.AccountId.ToString(CultureInfo.InvariantCulture), ["meter"] = c.Serial, ["time"] = Local(c.UpdatedAtMs, c.TimeZone),
                }), nowMs);
        }

        foreach (var (name, last) in new[] { ("outbox", lastOutbox), ("postings", Math.Max(lastPosting, cursors.GetValueOrDefault("postings"))), ("commands", lastCommand) })
            await connection.ExecuteAsync("UPDATE notification_cursors SET last_id = @last WHERE name = @name", new { name, last }, tx);
        return added;
    }

    static readonly string[] Depth = ["normal", "alarm1", "alarm2", "arrears"];

    static bool Falls(JsonElement stateChanged) => Array.IndexOf(Depth, Str(stateChanged, "to")) > Array.IndexOf(Depth, Str(stateChanged, "from"));

    static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>R33 raises a leak after 24 whole hours of flow: the flow ran at least since the start of the first of them.</summary>
    static long LeakSince(long raisedMs, string zone) =>
        Engine.Leak.HourStart(DateTimeOffset.FromUnixTimeMilliseconds(raisedMs), ApiFormat.Zone(zone)).AddHours(-Engine.Leak.Hours).ToUnixTimeMilliseconds();

    static string Local(long ms, string zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), ApiFormat.Zone(zone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
