using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Devices.Metering;
using Prepaid.Engine;

namespace Prepaid.Api.Devices;

/// <summary>
/// R16a, one pass: for every meter of an open account whose confirmed switch state is not the one its balance
/// requires, asks again for what failed or expired (after the back-off of <see cref="SwitchConvergence"/>, the
/// friendly window still holding trips back) and keeps a <c>tripFailed</c> / <c>closeFailed</c> alarm open until the
/// meter confirms. The request goes into the outbox like the engine's own, so the dispatcher's import (a later
/// request supersedes an earlier one) stays the only place that turns requests into commands. The pass holds the
/// write gate for its whole read-decide-write, so it never races ingest or the dispatcher into a second request.
/// </summary>
public sealed class SwitchReconciliation(Db db, DeviceEventBus events, DispatcherSignal signal)
{
    public const string TripFailed = "tripFailed", CloseFailed = "closeFailed";

    /// <summary>Enough history for the longest back-off (hourly from the fifth request on).</summary>
    const int AttemptsKept = 8;

    public sealed record PassResult(int Checked, int Asked, int Raised, int Cleared);

    sealed record MeterRow(long MeterId, long AccountId, long SiteId, long BalanceFen, long Alarm1Fen, long Alarm2Fen, long OverdraftFen,
        long ReconnectFen, long KeepOn, string? LastSwitch, string RelayState, string? Profile, long ChargeArrearsFen);

    sealed record AttemptRow(long MeterId, string Kind, string Source, string State, long UpdatedAtMs, string? Error);

    sealed record AlarmRow(long Id, long MeterId, string Kind);

    public async Task<PassResult> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var changes = new List<DeviceAlarmChange>();
        int checkedCount, asked = 0;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            // Coarse on purpose: any meter that may be off its required state, or has an alarm to judge. The Engine decides.
            var meters = (await connection.QueryAsync<MeterRow>("""
                SELECT am.meter_id, a.id AS account_id, a.site_id, l.balance_fen, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen,
                       a.keep_on, a.last_switch, m.relay_state, c.profile, a.charge_arrears_fen
                FROM account_meters am
                JOIN accounts a ON a.id = am.account_id
                JOIN ledger_accounts l ON l.id = a.wallet_ledger_id
                JOIN meters m ON m.id = am.meter_id
                LEFT JOIN meter_connections c ON c.meter_id = am.meter_id
                WHERE am.closed_at_ms IS NULL AND a.closed_at_ms IS NULL
                  AND ((l.balance_fen + a.charge_arrears_fen < -a.overdraft_fen AND a.keep_on = 0 AND m.relay_state <> 'open')
                    OR (a.last_switch IS NOT NULL AND l.balance_fen + a.charge_arrears_fen >= a.reconnect_fen AND m.relay_state <> 'closed')
                    OR am.meter_id IN (SELECT meter_id FROM device_alarms WHERE cleared_at_ms IS NULL AND kind IN ('tripFailed', 'closeFailed')))
                ORDER BY am.meter_id
                """, transaction: tx)).ToList();
            var alarms = (await connection.QueryAsync<AlarmRow>(
                "SELECT id, meter_id, kind FROM device_alarms WHERE cleared_at_ms IS NULL AND kind IN ('tripFailed', 'closeFailed')", transaction: tx))
                .ToLookup(a => a.MeterId);
            checkedCount = meters.Count;
            var ids = JsonSerializer.Serialize(meters.Select(m => m.MeterId));
            var attempts = (await connection.QueryAsync<AttemptRow>($"""
                SELECT meter_id, kind, source, state, updated_at_ms, error FROM (
                    SELECT meter_id, kind, source, state, updated_at_ms, error, id,
                           ROW_NUMBER() OVER (PARTITION BY meter_id ORDER BY id DESC) AS n
                    FROM device_commands
                    WHERE meter_id IN {db.Dialect.IdsFromJson("@ids")} AND kind IN ('trip', 'close', 'valveOpen', 'valveClose')
                ) recent WHERE n <= {AttemptsKept} ORDER BY meter_id, id DESC
                """, new { ids }, tx)).ToLookup(a => a.MeterId);
            var pending = (await connection.QueryAsync<long>($"""
                SELECT DISTINCT meter_id FROM outbox
                WHERE kind = 'switchRequested' AND consumed_at_ms IS NULL AND meter_id IN {db.Dialect.IdsFromJson("@ids")}
                """, new { ids }, tx)).ToHashSet();
            var sites = new Dictionary<long, SiteRuntime>();
            foreach (var siteId in meters.Select(m => m.SiteId).Distinct())
                sites[siteId] = (await SiteRuntime.LoadAsync(connection, tx, siteId))!;

            var outbox = new OutboxWriter();
            var judged = new HashSet<long>();
            foreach (var m in meters)
            {
                judged.Add(m.MeterId);
                var site = sites[m.SiteId];
                var balance = new Money(m.BalanceFen);
                var policy = new AccountPolicy(new Money(m.Alarm1Fen), new Money(m.Alarm2Fen), new Money(m.OverdraftFen), new Money(m.ReconnectFen));
                // R28: what charges that never trip are owed does not count toward a trip.
                var switching = ChargeArrears.SwitchingBalance(balance, new Money(m.ChargeArrearsFen));
                var required = SwitchConvergence.Required(switching, policy, m.KeepOn == 1, closed: false, ParseAction(m.LastSwitch));
                var (canSwitch, unreachable) = CanSwitch(m.Profile);
                var history = attempts[m.MeterId].ToList();
                var step = SwitchConvergence.Next(required, Confirmed(m.RelayState), canSwitch, pending.Contains(m.MeterId),
                    history.Select(ToAttempt).ToList(), site.Cutoff, site.Zone, now);
                if (step.Ask is { } action)
                {
                    outbox.SwitchRequested(m.SiteId, m.AccountId, m.MeterId, action, step.NotBefore ?? now, balance, now);
                    // The engine's edge rules (ControlPolicy) read last_switch: keep it the engine's current ask.
                    await connection.ExecuteAsync("UPDATE accounts SET last_switch = @action WHERE id = @AccountId",
                        new { action = Word(action), m.AccountId }, tx);
                    asked++;
                }
                var due = step.Alarm ? (step.Required == SwitchAction.Trip ? TripFailed : CloseFailed) : null;
                foreach (var open in alarms[m.MeterId].Where(a => a.Kind != due))
                    changes.Add(await ClearAsync(connection, tx, open, "The meter shows the state its account requires, or none is required any more.", now));
                if (due is not null && !alarms[m.MeterId].Any(a => a.Kind == due))
                    changes.Add(await RaiseAsync(connection, tx, m.MeterId, due, Detail(step, unreachable, history.FirstOrDefault(h => h.Error is not null)?.Error), now));
            }
            // Meters with an alarm but no open account any more (closed, meter swapped out): nothing is required of them.
            foreach (var open in alarms.SelectMany(g => g).Where(a => !judged.Contains(a.MeterId)))
                changes.Add(await ClearAsync(connection, tx, open, "The meter no longer belongs to an open account.", now));
            if (outbox.Rows.Count > 0) await outbox.FlushAsync(connection, tx, db.Dialect, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        foreach (var c in changes) events.Publish(c);
        if (asked > 0) signal.Wake();
        return new PassResult(checkedCount, asked, changes.Count(c => c.Raised), changes.Count(c => !c.Raised));
    }

    static (bool CanSwitch, string? Why) CanSwitch(string? profileName)
    {
        if (profileName is null) return (false, "The meter has no connection (PUT /api/meters/{id}/connection): nothing can be sent.");
        if (MeterProfiles.Find(profileName) is not { } profile) return (false, $"Unknown profile {profileName}.");
        var (_, refusal) = CommandKinds.Plan("trip", profile);
        return refusal is null ? (true, null) : (false, refusal);
    }

    static SwitchAttempt ToAttempt(AttemptRow a) => new(
        a.Kind is "trip" or "valveClose" ? SwitchAction.Trip : SwitchAction.Close,
        InFlight: a.State is CommandKinds.Requested or CommandKinds.Sent,
        Failed: a.State is CommandKinds.Failed or CommandKinds.Expired,
        ByOperator: a.Source != "engine",
        DateTimeOffset.FromUnixTimeMilliseconds(a.UpdatedAtMs));

    static ConfirmedSwitch Confirmed(string relayState) => relayState switch
    {
        "open" => ConfirmedSwitch.Open,
        "closed" => ConfirmedSwitch.Closed,
        _ => ConfirmedSwitch.Unknown,
    };

    static SwitchAction? ParseAction(string? word) => word switch { "trip" => SwitchAction.Trip, "close" => SwitchAction.Close, _ => null };

    static string Word(SwitchAction action) => action == SwitchAction.Trip ? "trip" : "close";

    static string Detail(SwitchStep step, string? unreachable, string? lastError)
    {
        var what = step.Required == SwitchAction.Trip ? "Trip" : "Close";
        if (unreachable is not null) return $"{what} required but cannot be sent: {unreachable}";
        var why = step.Required == SwitchAction.Trip ? "while the account is in arrears" : "until supply is back";
        return $"{what} not confirmed after {step.Failures} request(s){(lastError is null ? "" : $": {lastError}")}. Asked again after a back-off {why}.";
    }

    static async Task<DeviceAlarmChange> RaiseAsync(DbConnection c, DbTransaction tx, long meterId, string kind, string detail, DateTimeOffset now)
    {
        await c.ExecuteAsync("INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@meterId, @kind, @detail, @nowMs)",
            new { meterId, kind, detail, nowMs = now.ToUnixTimeMilliseconds() }, tx);
        return new DeviceAlarmChange(meterId, kind, true, detail, now);
    }

    static async Task<DeviceAlarmChange> ClearAsync(DbConnection c, DbTransaction tx, AlarmRow alarm, string detail, DateTimeOffset now)
    {
        await c.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id = @Id AND cleared_at_ms IS NULL",
            new { alarm.Id, nowMs = now.ToUnixTimeMilliseconds() }, tx);
        return new DeviceAlarmChange(alarm.MeterId, alarm.Kind, false, detail, now);
    }
}
