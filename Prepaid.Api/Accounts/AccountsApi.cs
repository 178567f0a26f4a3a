using System.ComponentModel.DataAnnotations;
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
        var group = app.MapGroup("/api/accounts").WithTags("Accounts").CheckParameters();
        group.MapPost("/", Open).Validate<OpenAccountRequest, OpenAccountValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/", List).RequireAuthorization();
        group.MapGet("/{accountId:long}", Get).RequireAuthorization();
        group.MapGet("/{accountId:long}/ledger", LedgerView).RequireAuthorization();
        group.MapPut("/{accountId:long}", AccountUpdate.PutAsync).Validate<UpdateAccountRequest, UpdateAccountValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Change thresholds, fee rate, keep-on or a meter's tariff; a new tariff prices from the meter's last billed reading on");
    }

    static async Task<IResult> Open(OpenAccountRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        if (user.IsSiteScoped())
        {
            // A site-scoped operator may only bind meters of their own sites; others look unknown.
            await using var check = await db.OpenAsync(ct);
            var sites = (await check.QueryAsync<(long Id, long SiteId)>($"SELECT id, site_id FROM meters WHERE id IN {db.Dialect.IdsFromJson("@ids")}",
                new { ids = System.Text.Json.JsonSerializer.Serialize(r.Meters!.Select(m => m.MeterId)) })).ToDictionary(m => m.Id, m => m.SiteId);
            for (var i = 0; i < r.Meters!.Count; i++)
                if (!sites.TryGetValue(r.Meters[i].MeterId, out var siteId) || !user.MaySee(siteId))
                    return Problems.Field($"meters[{i}].meterId", $"Meter {r.Meters[i].MeterId} does not exist.", StatusCodes.Status404NotFound, "The meter was not found.");
            // Nor a tenant of other sites only: the account would bill them, and show them to this operator.
            if (!await Tenants.TenantsApi.VisibleAsync(check, db, user, r.TenantId))
                return Problems.Field("tenantId", $"Tenant {r.TenantId} does not exist.", StatusCodes.Status404NotFound, "The tenant was not found.");
        }
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var opened = await AccountOpening.OpenAsync(connection, tx, db.Dialect, r, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (opened.Refusal is not null) return opened.Refusal;
            await tx.CommitAsync(ct);
            return TypedResults.Created($"/api/accounts/{opened.AccountId}", await LoadAsync(connection, null, opened.AccountId));
        }
        finally
        {
            db.WriteGate.Release();
        }
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null, long? tenantId = null)
    {
        if (user.IsTenant()) tenantId = user.TenantId();
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(
            $"""
            SELECT id FROM accounts WHERE (@siteId IS NULL OR site_id = @siteId) AND (@tenantId IS NULL OR tenant_id = @tenantId)
              AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY id
            """,
            new { siteId, tenantId, sites = user.SitesJson() });
        var list = new List<object>();
        foreach (var id in ids) list.Add((await LoadAsync(connection, null, id))!);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> Get(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        // A tenant asking for another tenant's account hears "not found", never "forbidden": ids reveal nothing.
        if (!await VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        return await LoadAsync(connection, user.IsTenant() ? user.TenantId() : null, accountId) is { } a ? TypedResults.Ok(a) : Problems.NotFound($"Account {accountId}");
    }

    /// <summary>
    /// Whether the user may see the account: a tenant only their own, an operator or cashier only their sites' accounts.
    /// Everything else answers 404, the same as an id that does not exist.
    /// </summary>
    public static async Task<bool> VisibleAsync(DbConnection connection, ClaimsPrincipal user, long accountId)
    {
        var a = await connection.QuerySingleOrDefaultAsync<(long Id, long SiteId, long TenantId)>(
            "SELECT id, site_id, tenant_id FROM accounts WHERE id = @accountId", new { accountId });
        if (a.Id == 0) return false;
        if (user.IsTenant()) return user.TenantId() == a.TenantId;
        return user.MaySee(a.SiteId);
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
        var meters = await connection.QueryAsync<(long MeterId, string Serial, string Utility, long TariffId, string Relay, long LastAtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, long? HeldReadingId, long DebitedFen, long? RealAtMs)>("""
            SELECT am.meter_id, m.serial, m.utility, am.tariff_id, m.relay_state, am.last_at_ms, am.last_total_milli, am.last_sharp_milli, am.last_peak_milli,
                   am.last_flat_milli, am.last_valley_milli, am.held_reading_id, am.debited_fen, am.real_at_ms
            FROM account_meters am JOIN meters m ON m.id = am.meter_id
            WHERE am.account_id = @accountId AND am.closed_at_ms IS NULL ORDER BY am.meter_id
            """, new { accountId });
        var supplyCutAt = await PendingTrip.SupplyCutAtMsAsync(connection, accountId);
        return new
        {
            id = a.Id, siteId = a.SiteId, tenantId = a.TenantId, roomId = a.RoomId,
            balance = ApiFormat.Amount(a.BalanceFen), state = a.State, keepOn = a.KeepOn == 1, lastSwitchRequested = a.LastSwitch,
            alarm1 = ApiFormat.Amount(a.Alarm1Fen), alarm2 = ApiFormat.Amount(a.Alarm2Fen), overdraft = ApiFormat.Amount(a.OverdraftFen),
            reconnectThreshold = ApiFormat.Amount(a.ReconnectFen), serviceFeeRate = a.FeeRate,
            openedAt = ApiFormat.Instant(a.OpenedAtMs, zone), closedAt = a.ClosedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
            // The trip waiting for the friendly window's end (PendingTrip), in the site's zone; null when none waits.
            supplyCutAt = supplyCutAt is { } cut ? ApiFormat.Instant(cut, zone) : null,
            meters = meters.Select(m => new
            {
                meterId = m.MeterId, serial = m.Serial, utility = m.Utility, tariffId = m.TariffId, relay = m.Relay, suspectHeld = m.HeldReadingId is not null,
                charged = ApiFormat.Amount(m.DebitedFen),
                // R30: while estimates stand, the last billed reading is an estimate.
                lastReading = new { at = ApiFormat.Instant(m.LastAtMs, zone), registers = RegisterJson.Of(m.Total, m.Sharp, m.Peak, m.Flat, m.Valley), estimated = m.RealAtMs is not null },
            }),
        };
    }

    /// <summary>
    /// The wallet's lines (ledger_lines: postings and billed readings), newest first by instant, then postings before readings'
    /// own lines, each by row id (a line's id: a posting's id, or −readings.id for a reading's own debit): each with its signed amount, its idempotency key and the
    /// balance after it, computed backward from the wallet's stored balance in the order shown (R36: the balance at an
    /// instant is the balance now less what was posted after it), read in the same statement so the two agree.
    /// </summary>
    static async Task<IResult> LedgerView(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct,
        [Range(0, int.MaxValue)] int offset = 0, [Range(1, 500)] int limit = 50)
    {
        await using var connection = await db.OpenAsync(ct);
        long? tenantScope = user.IsTenant() ? user.TenantId() : null;
        if (!await VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var account = await connection.QuerySingleOrDefaultAsync<(long WalletLedgerId, string TimeZone)>("""
            SELECT a.wallet_ledger_id, s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id
            WHERE a.id = @accountId AND (@tenantScope IS NULL OR a.tenant_id = @tenantScope)
            """, new { accountId, tenantScope });
        if (account.WalletLedgerId == 0) return Problems.NotFound($"Account {accountId}");
        var zone = ApiFormat.Zone(account.TimeZone);
        // A consumption line of an estimated reading (R30) is marked as such.
        var rows = await connection.QueryAsync<(long Id, string? TransferKey, int Leg, string Kind, long AtMs, long? MeterId, long SignedFen, long BalanceAfterFen, long Estimated)>(
            db.Dialect.Page($"""
                SELECT l.id, l.transfer_key, l.leg, l.kind, l.at_ms, l.meter_id, l.signed_fen,
                       CAST(w.balance_fen - COALESCE(SUM(l.signed_fen) OVER (ORDER BY {Statements.StatementLedger.NewestFirst} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT),
                       CASE WHEN l.kind = 'consumption' AND EXISTS (SELECT 1 FROM readings r WHERE r.meter_block = l.meter_id / 64 AND r.meter_id = l.meter_id AND r.at_ms = l.at_ms AND r.source = 'estimate')
                            THEN 1 ELSE 0 END AS estimated
                FROM (SELECT id, transfer_key, leg, kind, at_ms, meter_id, CASE WHEN debit_ledger_id = @wallet THEN -amount_fen ELSE amount_fen END AS signed_fen
                      FROM ledger_lines WHERE account_id = @accountId AND (debit_ledger_id = @wallet OR credit_ledger_id = @wallet)) l
                CROSS JOIN (SELECT balance_fen FROM ledger_accounts WHERE id = @wallet) w
                ORDER BY {Statements.StatementLedger.NewestFirst}
                """, "@offset", "@limit"),
            new { accountId, wallet = account.WalletLedgerId, offset, limit = Math.Clamp(limit, 1, 500) });
        return TypedResults.Ok(rows.Select(p => new
        {
            id = p.Id, at = ApiFormat.Instant(p.AtMs, zone), kind = p.Kind, amount = ApiFormat.Amount(p.SignedFen),
            balanceAfter = ApiFormat.Amount(p.BalanceAfterFen), key = TransferKeys.Of(p.TransferKey, p.MeterId, p.AtMs), leg = p.Leg, meterId = p.MeterId,
            estimated = p.Estimated == 1,
        }));
    }
}
