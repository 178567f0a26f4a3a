using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Accounts;

/// <summary>
/// PUT /api/accounts/{id}: thresholds, fee rate, keep-on and tariffs of an open account. The state is derived again from
/// the unchanged balance under the new thresholds (R16) and a trip or close is requested if the change calls for one.
/// A tariff change acts from the meter's last billed reading: the next delta is priced wholly on the new tariff, and
/// nothing billed before is priced again. Each change is recorded in account_changes with who made it.
/// </summary>
public static class AccountUpdate
{
    sealed record Current(long SiteId, long Alarm1Fen, long Alarm2Fen, long OverdraftFen, long ReconnectFen, string FeeRate, long KeepOn,
        string? LastSwitch, long? ClosedAtMs, long BalanceFen);

    public static async Task<IResult> PutAsync(long accountId, UpdateAccountRequest r, ClaimsPrincipal user, Db db, TimeProvider time,
        IPostingEvents events, IDashboardPublisher dashboard, CancellationToken ct)
    {
        await using (var check = await db.OpenAsync(ct))
            if (!await AccountsApi.VisibleAsync(check, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var now = time.GetUtcNow();
        var meterIds = new List<long>();
        var result = await PostingWrites.RunAsync<IResult?>(db, events, async (connection, tx, outbox) =>
        {
            var a = await connection.QuerySingleAsync<Current>("""
                SELECT a.site_id, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen, a.fee_rate, a.keep_on, a.last_switch, a.closed_at_ms, l.balance_fen
                FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @accountId
                """, new { accountId }, tx);
            if (a.ClosedAtMs is not null) return Problems.Conflict($"Account {accountId} is closed.");

            var before = new AccountPolicy(new Money(a.Alarm1Fen), new Money(a.Alarm2Fen), new Money(a.OverdraftFen), new Money(a.ReconnectFen));
            var after = new AccountPolicy(Amount(r.Alarm1, before.Alarm1), Amount(r.Alarm2, before.Alarm2), Amount(r.Overdraft, before.Overdraft),
                Amount(r.ReconnectThreshold, before.ReconnectThreshold));
            var errors = new Dictionary<string, string[]>();
            if (after.Alarm2 > after.Alarm1) errors[r.Alarm2 is not null ? "alarm2" : "alarm1"] = ["Alarm 2 must not be above alarm 1."];

            var meters = (await connection.QueryAsync<(long Id, long MeterId, string Utility, long TariffId, long LastAtMs)>("""
                SELECT am.id, am.meter_id, m.utility, am.tariff_id, am.last_at_ms FROM account_meters am JOIN meters m ON m.id = am.meter_id
                WHERE am.account_id = @accountId AND am.closed_at_ms IS NULL
                """, new { accountId }, tx)).ToDictionary(m => m.MeterId);
            var tariffChanges = new List<(long AccountMeterId, long MeterId, long From, long To, long LastAtMs)>();
            for (var i = 0; i < (r.Meters?.Count ?? 0); i++)
            {
                var m = r.Meters![i];
                if (!meters.TryGetValue(m.MeterId, out var meter)) { errors[$"meters[{i}].meterId"] = [$"Meter {m.MeterId} is not an open meter of this account."]; continue; }
                var utility = await connection.ExecuteScalarAsync<string?>("SELECT utility FROM tariffs WHERE id = @TariffId AND site_id = @SiteId",
                    new { m.TariffId, a.SiteId }, tx);
                if (utility != meter.Utility) { errors[$"meters[{i}].tariffId"] = [$"Must be a {meter.Utility} tariff of the account's site."]; continue; }
                if (m.TariffId != meter.TariffId) tariffChanges.Add((meter.Id, meter.MeterId, meter.TariffId, m.TariffId, meter.LastAtMs));
            }
            if (errors.Count > 0) return Problems.Fields(errors);

            var keepOn = r.KeepOn ?? a.KeepOn == 1;
            var feeRate = r.ServiceFeeRate ?? a.FeeRate;
            var site = (await SiteRuntime.LoadAsync(connection, tx, a.SiteId))!;
            var lastSwitch = a.LastSwitch switch { "trip" => SwitchAction.Trip, "close" => SwitchAction.Close, _ => (SwitchAction?)null };
            var balance = new Money(a.BalanceFen);
            var decision = PolicyChange.Decide(balance, before, after, keepOn, lastSwitch, site.Cutoff, site.Zone, now);
            var newSwitch = decision.Switch ?? lastSwitch;
            await connection.ExecuteAsync("""
                UPDATE accounts SET alarm1_fen = @alarm1, alarm2_fen = @alarm2, overdraft_fen = @overdraft, reconnect_fen = @reconnect,
                       fee_rate = @feeRate, keep_on = @keepOn, state = @state, last_switch = @lastSwitch
                WHERE id = @accountId
                """, new
            {
                accountId, alarm1 = after.Alarm1.Fen, alarm2 = after.Alarm2.Fen, overdraft = after.Overdraft.Fen, reconnect = after.ReconnectThreshold.Fen,
                feeRate, keepOn = keepOn ? 1 : 0, state = ApiFormat.State(decision.After), lastSwitch = newSwitch?.ToString().ToLowerInvariant(),
            }, tx);
            foreach (var c in tariffChanges)
                await connection.ExecuteAsync("UPDATE account_meters SET tariff_id = @To WHERE id = @AccountMeterId", new { c.To, c.AccountMeterId }, tx);

            meterIds.AddRange(meters.Keys);
            if (decision.StateChanged) outbox.StateChanged(a.SiteId, accountId, decision.Before, decision.After, balance, now);
            if (decision.Switch is { } action)
                foreach (var meterId in meters.Keys) outbox.SwitchRequested(a.SiteId, accountId, meterId, action, decision.NotBefore ?? now, balance, now);

            await connection.ExecuteAsync(db.Dialect.InsertReturningId("account_changes", "account_id, user_id, changed_at_ms, before_json, after_json",
                "@accountId, @userId, @nowMs, @beforeJson, @afterJson"), new
            {
                accountId, userId = user.Id(), nowMs = now.ToUnixTimeMilliseconds(),
                beforeJson = JsonSerializer.Serialize(Snapshot(before, a.FeeRate, a.KeepOn == 1, tariffChanges.Select(c => new { meterId = c.MeterId, tariffId = c.From }))),
                afterJson = JsonSerializer.Serialize(Snapshot(after, feeRate, keepOn, tariffChanges.Select(c => new
                {
                    meterId = c.MeterId, tariffId = c.To, fromReadingAt = ApiFormat.Instant(c.LastAtMs, site.Zone),
                }))),
            }, tx);
            return (IResult?)null;
        }, ct);
        if (result is not null) return result;
        // Nothing was posted, so the grid does not follow the ledger here: tell it which rows changed.
        dashboard.MetersChanged(meterIds);
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await AccountsApi.LoadAsync(connection, null, accountId));
    }

    static Money Amount(string? text, Money current) => text is null ? current : new Money(ApiFormat.Fen(text));

    static object Snapshot(AccountPolicy p, string feeRate, bool keepOn, IEnumerable<object> tariffs) => new
    {
        alarm1 = p.Alarm1.ToString(), alarm2 = p.Alarm2.ToString(), overdraft = p.Overdraft.ToString(), reconnectThreshold = p.ReconnectThreshold.ToString(),
        serviceFeeRate = feeRate, keepOn, meters = tariffs.ToList(),
    };
}
