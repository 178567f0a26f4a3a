using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Accounts;

/// <summary>
/// Opening an account (开户): a wallet, the meters bound to their tariffs, and each meter's opening reading
/// stored as its baseline (R6). Used by the API, the demo and the benchmark alike.
/// </summary>
public static class AccountOpening
{
    /// <summary>Opens an account inside the caller's transaction; a refusal is a problem detail naming the field.</summary>
    public static async Task<(long AccountId, IResult? Refusal)> OpenAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, OpenAccountRequest r, long nowMs)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants WHERE id = @TenantId", new { r.TenantId }, tx) == 0)
            return (0, Problems.Field("tenantId", $"Tenant {r.TenantId} does not exist.", 404, "The tenant was not found."));

        var meterIds = r.Meters!.Select(m => m.MeterId).ToList();
        var meters = (await connection.QueryAsync<(long Id, long SiteId, string Utility, long? OpenAccountId)>(
            $"""
            SELECT m.id, m.site_id, m.utility, am.account_id
            FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
            WHERE m.id IN {dialect.IdsFromJson("@ids")}
            """, new { ids = System.Text.Json.JsonSerializer.Serialize(meterIds) }, tx)).ToDictionary(m => m.Id);
        var errors = new Dictionary<string, string[]>();
        long? siteId = null;
        for (var i = 0; i < r.Meters!.Count; i++)
        {
            var m = r.Meters[i];
            if (!meters.TryGetValue(m.MeterId, out var meter)) { errors[$"meters[{i}].meterId"] = [$"Meter {m.MeterId} does not exist."]; continue; }
            if (meter.OpenAccountId is { } other) errors[$"meters[{i}].meterId"] = [$"Meter {m.MeterId} is already in open account {other}."];
            siteId ??= meter.SiteId;
            if (meter.SiteId != siteId) errors[$"meters[{i}].meterId"] = ["All meters of an account belong to one site."];
            var tariffUtility = await connection.ExecuteScalarAsync<string?>("SELECT utility FROM tariffs WHERE id = @TariffId AND site_id = @SiteId",
                new { m.TariffId, meter.SiteId }, tx);
            if (tariffUtility != meter.Utility) errors[$"meters[{i}].tariffId"] = [$"Must be a {meter.Utility} tariff of the meter's site."];
        }
        if (r.RoomId is { } roomId && siteId is not null &&
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rooms WHERE id = @roomId AND site_id = @siteId", new { roomId, siteId }, tx) == 0)
            errors["roomId"] = [$"Room {roomId} is not a room of the meters' site."];
        if (errors.Count > 0) return (0, Problems.Fields(errors));

        var policy = new AccountPolicy(new Money(ApiFormat.Fen(r.Alarm1!)), new Money(ApiFormat.Fen(r.Alarm2!)),
            new Money(r.Overdraft is null ? 0 : ApiFormat.Fen(r.Overdraft)), new Money(r.ReconnectThreshold is null ? 0 : ApiFormat.Fen(r.ReconnectThreshold)));
        var accountId = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("accounts",
            "site_id, tenant_id, room_id, wallet_ledger_id, alarm1_fen, alarm2_fen, overdraft_fen, reconnect_fen, fee_rate, keep_on, state, opened_at_ms",
            "@siteId, @TenantId, @RoomId, 0, @alarm1, @alarm2, @overdraft, @reconnect, @feeRate, @keepOn, @state, @nowMs"),
            new
            {
                siteId, r.TenantId, r.RoomId, alarm1 = policy.Alarm1.Fen, alarm2 = policy.Alarm2.Fen, overdraft = policy.Overdraft.Fen,
                reconnect = policy.ReconnectThreshold.Fen, feeRate = r.ServiceFeeRate ?? "0", keepOn = r.KeepOn ? 1 : 0,
                state = ApiFormat.State(policy.StateOf(Money.Zero)), nowMs,
            }, tx);
        var walletId = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("ledger_accounts",
            "site_id, kind, account_id, balance_fen", "@siteId, 'wallet', @accountId, 0"), new { siteId, accountId }, tx);
        await connection.ExecuteAsync("UPDATE accounts SET wallet_ledger_id = @walletId WHERE id = @accountId", new { walletId, accountId }, tx);

        for (var i = 0; i < r.Meters.Count; i++)
        {
            var m = r.Meters[i];
            var at = ApiFormat.Instant(m.OpeningReading!.At!);
            var g = m.OpeningReading.Registers!;
            var regs = new { total = Milli(g.Total)!.Value, sharp = Milli(g.Sharp), peak = Milli(g.Peak), flat = Milli(g.Flat), valley = Milli(g.Valley) };
            var atMs = at.ToUnixTimeMilliseconds();
            var newest = await connection.ExecuteScalarAsync<long?>("SELECT MAX(at_ms) FROM readings WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId", new { m.MeterId }, tx);
            // R26: an opening reading that is the meter's final reading under its previous account (same instant, same
            // registers) continues from it, so the next tenant pays from exactly where the last one stopped.
            var continues = await ContinuesFinalAsync(connection, tx, dialect, m.MeterId, atMs, regs.total, regs.sharp, regs.peak, regs.flat, regs.valley);
            if (!continues && newest is { } n && n >= atMs)
                return (0, Problems.Field($"meters[{i}].openingReading.at", "The meter already has readings at or after this instant; open from a newer reading.", 409, "The opening reading is not the newest."));
            var accountMeterId = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("account_meters",
                "account_id, meter_id, tariff_id, exact_cost, debited_fen, last_at_ms, last_total_milli, last_sharp_milli, last_peak_milli, last_flat_milli, last_valley_milli, seen_at_ms, opened_at_ms",
                "@accountId, @MeterId, @TariffId, '0', 0, @atMs, @total, @sharp, @peak, @flat, @valley, @seenMs, @nowMs"),
                new { accountId, m.MeterId, m.TariffId, atMs, regs.total, regs.sharp, regs.peak, regs.flat, regs.valley, seenMs = Math.Max(atMs, newest ?? atMs), nowMs }, tx);
            await connection.ExecuteAsync("UPDATE accounts SET started_at_ms = @atMs WHERE id = @accountId AND (started_at_ms IS NULL OR started_at_ms > @atMs)",
                new { accountId, atMs }, tx);
            if (continues) continue;
            // R6: the opening reading is the baseline and bills nothing.
            await connection.ExecuteAsync("""
                INSERT INTO readings (meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, account_meter_id, received_at_ms)
                VALUES (@MeterId, @atMs, @total, @sharp, @peak, @flat, @valley, 'baseline', 'Opening reading', @accountMeterId, @nowMs)
                """, new { m.MeterId, atMs, regs.total, regs.sharp, regs.peak, regs.flat, regs.valley, accountMeterId, nowMs }, tx);
        }
        return (accountId, null);
    }


    /// <summary>Whether the reading is the final reading the meter's last closed account meter stopped at.</summary>
    static async Task<bool> ContinuesFinalAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, long meterId, long atMs,
        long total, long? sharp, long? peak, long? flat, long? valley)
    {
        var last = await connection.QueryFirstOrDefaultAsync<(long Id, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            dialect.Page("""
                SELECT id, last_at_ms, last_total_milli, last_sharp_milli, last_peak_milli, last_flat_milli, last_valley_milli
                FROM account_meters WHERE meter_id = @meterId AND closed_at_ms IS NOT NULL ORDER BY closed_at_ms DESC, id DESC
                """, "0", "1"), new { meterId }, tx);
        return last.Id != 0 && last.AtMs == atMs && last.Total == total && last.Sharp == sharp && last.Peak == peak && last.Flat == flat && last.Valley == valley;
    }

    static long? Milli(string? text) => text is null ? null : ApiFormat.Milli(ApiFormat.ParseDecimal(text));
}
