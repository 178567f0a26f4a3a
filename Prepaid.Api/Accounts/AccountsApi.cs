using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Accounts;

public static class AccountsApi
{
    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts").WithTags("Accounts");
        group.MapPost("/", Open).Validate<OpenAccountRequest, OpenAccountValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/", List).RequireAuthorization();
        group.MapGet("/{accountId:long}", Get).RequireAuthorization();
        group.MapGet("/{accountId:long}/ledger", LedgerView).RequireAuthorization();
    }

    static async Task<IResult> Open(OpenAccountRequest r, Db db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants WHERE id = @TenantId", new { r.TenantId }, tx) == 0)
                return Problems.Field("tenantId", $"Tenant {r.TenantId} does not exist.", 404, "The tenant was not found.");

            var meterIds = r.Meters!.Select(m => m.MeterId).ToList();
            var meters = (await connection.QueryAsync<(long Id, long SiteId, string Utility, long? OpenAccountId)>(
                $"""
                SELECT m.id, m.site_id, m.utility, am.account_id
                FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
                WHERE m.id IN {db.Dialect.IdsFromJson("@ids")}
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
            if (errors.Count > 0) return Problems.Fields(errors);

            var policy = new AccountPolicy(new Money(ApiFormat.Fen(r.Alarm1!)), new Money(ApiFormat.Fen(r.Alarm2!)),
                new Money(r.Overdraft is null ? 0 : ApiFormat.Fen(r.Overdraft)), new Money(r.ReconnectThreshold is null ? 0 : ApiFormat.Fen(r.ReconnectThreshold)));
            var accountId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("accounts",
                "site_id, tenant_id, room_id, wallet_ledger_id, alarm1_fen, alarm2_fen, overdraft_fen, reconnect_fen, fee_rate, keep_on, state, opened_at_ms",
                "@siteId, @TenantId, @RoomId, 0, @alarm1, @alarm2, @overdraft, @reconnect, @feeRate, @keepOn, @state, @nowMs"),
                new
                {
                    siteId, r.TenantId, r.RoomId, alarm1 = policy.Alarm1.Fen, alarm2 = policy.Alarm2.Fen, overdraft = policy.Overdraft.Fen,
                    reconnect = policy.ReconnectThreshold.Fen, feeRate = r.ServiceFeeRate ?? "0", keepOn = r.KeepOn ? 1 : 0,
                    state = ApiFormat.State(policy.StateOf(Money.Zero)), nowMs,
                }, tx);
            var walletId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("ledger_accounts",
                "site_id, kind, account_id, balance_fen", "@siteId, 'wallet', @accountId, 0"), new { siteId, accountId }, tx);
            await connection.ExecuteAsync("UPDATE accounts SET wallet_ledger_id = @walletId WHERE id = @accountId", new { walletId, accountId }, tx);

            for (var i = 0; i < r.Meters.Count; i++)
            {
                var m = r.Meters[i];
                var at = ApiFormat.Instant(m.OpeningReading!.At!);
                var g = m.OpeningReading.Registers!;
                var regs = new { total = Milli(g.Total)!.Value, sharp = Milli(g.Sharp), peak = Milli(g.Peak), flat = Milli(g.Flat), valley = Milli(g.Valley) };
                var atMs = at.ToUnixTimeMilliseconds();
                var newest = await connection.ExecuteScalarAsync<long?>("SELECT MAX(at_ms) FROM readings WHERE meter_id = @MeterId", new { m.MeterId }, tx);
                if (newest is { } n && n >= atMs)
                    return Problems.Field($"meters[{i}].openingReading.at", "The meter already has readings at or after this instant; open from a newer reading.", 409, "The opening reading is not the newest.");
                var accountMeterId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("account_meters",
                    "account_id, meter_id, tariff_id, exact_cost, debited_fen, last_at_ms, last_total_milli, last_sharp_milli, last_peak_milli, last_flat_milli, last_valley_milli, seen_at_ms, opened_at_ms",
                    "@accountId, @MeterId, @TariffId, '0', 0, @atMs, @total, @sharp, @peak, @flat, @valley, @atMs, @nowMs"),
                    new { accountId, m.MeterId, m.TariffId, atMs, regs.total, regs.sharp, regs.peak, regs.flat, regs.valley, nowMs }, tx);
                // R6: the opening reading is the baseline and bills nothing.
                await connection.ExecuteAsync("""
                    INSERT INTO readings (meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, account_meter_id, received_at_ms)
                    VALUES (@MeterId, @atMs, @total, @sharp, @peak, @flat, @valley, 'baseline', 'Opening reading', @accountMeterId, @nowMs)
                    """, new { m.MeterId, atMs, regs.total, regs.sharp, regs.peak, regs.flat, regs.valley, accountMeterId, nowMs }, tx);
            }
            await tx.CommitAsync(ct);
            return TypedResults.Created($"/api/accounts/{accountId}", await LoadAsync(connection, null, accountId));
        }
        finally
        {
            db.WriteGate.Release();
        }
    }

    static long? Milli(string? text) => text is null ? null : ApiFormat.Milli(ApiFormat.ParseDecimal(text));

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null, long? tenantId = null)
    {
        if (user.IsTenant()) tenantId = user.TenantId();
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(
            "SELECT id FROM accounts WHERE (@siteId IS NULL OR site_id = @siteId) AND (@tenantId IS NULL OR tenant_id = @tenantId) ORDER BY id",
            new { siteId, tenantId });
        var list = new List<object>();
        foreach (var id in ids) list.Add((await LoadAsync(connection, null, id))!);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> Get(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        // A tenant asking for another tenant's account hears "not found", never "forbidden": ids reveal nothing.
        return await LoadAsync(connection, user.IsTenant() ? user.TenantId() : null, accountId) is { } a ? TypedResults.Ok(a) : Problems.NotFound($"Account {accountId}");
    }

    sealed record AccountRow(long Id, long SiteId, long TenantId, long? RoomId, long WalletLedgerId, long BalanceFen, long Alarm1Fen, long Alarm2Fen,
        long OverdraftFen, long ReconnectFen, string FeeRate, long KeepOn, string State, string? LastSwitch, long OpenedAtMs, long? ClosedAtMs, string TimeZone);

    public static async Task<object?> LoadAsync(DbConnection connection, long? tenantScope, long accountId)
    {
        var a = await connection.QuerySingleOrDefaultAsync<AccountRow>("""
            SELECT a.id, a.site_id, a.tenant_id, a.room_id, a.wallet_ledger_id, l.balance_fen, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen,
                   a.fee_rate, a.keep_on, a.state, a.last_switch, a.opened_at_ms, a.closed_at_ms, s.time_zone
            FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id JOIN sites s ON s.id = a.site_id
            WHERE a.id = @accountId AND (@tenantScope IS NULL OR a.tenant_id = @tenantScope)
            """, new { accountId, tenantScope });
        if (a is null) return null;
        var zone = ApiFormat.Zone(a.TimeZone);
        var meters = await connection.QueryAsync<(long MeterId, string Serial, string Utility, long TariffId, string Relay, long LastAtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, long? HeldReadingId, long DebitedFen)>("""
            SELECT am.meter_id, m.serial, m.utility, am.tariff_id, m.relay_state, am.last_at_ms, am.last_total_milli, am.last_sharp_milli, am.last_peak_milli,
                   am.last_flat_milli, am.last_valley_milli, am.held_reading_id, am.debited_fen
            FROM account_meters am JOIN meters m ON m.id = am.meter_id
            WHERE am.account_id = @accountId AND am.closed_at_ms IS NULL ORDER BY am.meter_id
            """, new { accountId });
        return new
        {
            id = a.Id, siteId = a.SiteId, tenantId = a.TenantId, roomId = a.RoomId,
            balance = ApiFormat.Amount(a.BalanceFen), state = a.State, keepOn = a.KeepOn == 1, lastSwitchRequested = a.LastSwitch,
            alarm1 = ApiFormat.Amount(a.Alarm1Fen), alarm2 = ApiFormat.Amount(a.Alarm2Fen), overdraft = ApiFormat.Amount(a.OverdraftFen),
            reconnectThreshold = ApiFormat.Amount(a.ReconnectFen), serviceFeeRate = a.FeeRate,
            openedAt = ApiFormat.Instant(a.OpenedAtMs, zone), closedAt = a.ClosedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
            meters = meters.Select(m => new
            {
                meterId = m.MeterId, serial = m.Serial, utility = m.Utility, tariffId = m.TariffId, relay = m.Relay, suspectHeld = m.HeldReadingId is not null,
                charged = ApiFormat.Amount(m.DebitedFen),
                lastReading = new { at = ApiFormat.Instant(m.LastAtMs, zone), registers = RegisterJson.Of(m.Total, m.Sharp, m.Peak, m.Flat, m.Valley) },
            }),
        };
    }

    /// <summary>The wallet's movements, newest first: each with its signed amount, the balance after it, and its idempotency key.</summary>
    static async Task<IResult> LedgerView(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct, int offset = 0, int limit = 50)
    {
        await using var connection = await db.OpenAsync(ct);
        long? tenantScope = user.IsTenant() ? user.TenantId() : null;
        var account = await connection.QuerySingleOrDefaultAsync<(long WalletLedgerId, string TimeZone)>("""
            SELECT a.wallet_ledger_id, s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id
            WHERE a.id = @accountId AND (@tenantScope IS NULL OR a.tenant_id = @tenantScope)
            """, new { accountId, tenantScope });
        if (account.WalletLedgerId == 0) return Problems.NotFound($"Account {accountId}");
        var zone = ApiFormat.Zone(account.TimeZone);
        var rows = await connection.QueryAsync<(long Id, string TransferKey, int Leg, string Kind, long AtMs, long? MeterId, long DebitLedgerId, long AmountFen, long DebitBalanceAfterFen, long CreditBalanceAfterFen)>(
            db.Dialect.Page("""
                SELECT id, transfer_key, leg, kind, at_ms, meter_id, debit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen
                FROM postings WHERE account_id = @accountId AND (debit_ledger_id = @wallet OR credit_ledger_id = @wallet)
                ORDER BY id DESC
                """, "@offset", "@limit"),
            new { accountId, wallet = account.WalletLedgerId, offset, limit = Math.Clamp(limit, 1, 500) });
        return TypedResults.Ok(rows.Select(p =>
        {
            var debit = p.DebitLedgerId == account.WalletLedgerId;
            return new
            {
                id = p.Id, at = ApiFormat.Instant(p.AtMs, zone), kind = p.Kind, amount = ApiFormat.Amount(debit ? -p.AmountFen : p.AmountFen),
                balanceAfter = ApiFormat.Amount(debit ? p.DebitBalanceAfterFen : p.CreditBalanceAfterFen), key = p.TransferKey, leg = p.Leg, meterId = p.MeterId,
            };
        }));
    }
}
