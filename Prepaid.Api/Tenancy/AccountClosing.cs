using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Charges;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Deposits;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Channels;
using Prepaid.Api.Payments.Orders;
using Prepaid.Api.Payments.Refunds;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Tenancy;

/// <summary>
/// R26, move-out (and move-in) in one transaction: the final reading of every meter at T is billed (the one stored at
/// T, one entered, or an R30 estimate), recurring charges end at T's day and are charged pro rata up to it (R28), the
/// deposit comes back to the wallet (R29), and what is left is refunded through the channels it came from (R25), paid
/// in cash, or recorded as the tenant's debt. The meters are free at once; a next account opened in the same call (or
/// later from the same final readings) starts from them, so each tenant pays exactly their own period. Readings after T
/// belong to the next account or none. A preview runs it all and rolls back. Closing twice with the same request answers
/// the first result; with another, 409.
/// </summary>
public sealed class AccountClosing(Db db, IPostingEvents events, TimeProvider time, IDashboardPublisher dashboard, IServiceProvider services,
    ILogger<AccountClosing> log)
{
    sealed record AccountRow(long Id, long SiteId, long TenantId, long? RoomId, long Alarm1Fen, long Alarm2Fen, long OverdraftFen, long ReconnectFen,
        string FeeRate, long KeepOn, string? LastSwitch, long OpenedAtMs, long? StartedAtMs, long? ClosedAtMs, string TimeZone, string SiteName,
        string TenantName, string? RoomCode);

    sealed record MeterRow(long AccountMeterId, long MeterId, string Serial, long TariffId, long LastAtMs, long Total, long? Sharp, long? Peak, long? Flat,
        long? Valley, long? HeldReadingId, string RegisterMax);

    sealed record Final(MeterRow Meter, Registers Registers, string Source, int? Index);

    public async Task<IResult> CloseAsync(long accountId, CloseAccountRequest r, ClaimsPrincipal user, IServiceProvider requestServices, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var at = ApiFormat.Instant(r.At!);
        if (at > now) return Problems.Field("at", "Must not be later than now: the final readings are taken at the move-out, not ahead of it.");
        var preview = r.Preview == true;
        var hash = Passwords.Sha256Hex(JsonSerializer.Serialize(r with { Preview = null }));

        var published = new List<OutboxRow>();
        var refunds = new List<PaymentRefund>();
        var meterIds = new List<long>();
        Outcome outcome;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var outbox = new OutboxWriter();
            outcome = await CloseInAsync(connection, tx, outbox, published, refunds, meterIds, accountId, r, at, now, hash, user, requestServices, ct);
            if (outcome.Problem is null && !outcome.Replayed && !preview)
            {
                published.AddRange(outbox.Rows);
                await outbox.FlushAsync(connection, tx, db.Dialect, ct);
                await tx.CommitAsync(ct);
            }
            // Otherwise the transaction is disposed uncommitted: a refusal or a preview leaves nothing behind.
        }
        finally
        {
            db.WriteGate.Release();
        }
        if (outcome.Problem is not null) return outcome.Problem;
        if (outcome.Replayed || preview) return TypedResults.Ok(outcome.Answer);

        events.Posted(published);
        dashboard.MetersChanged(meterIds);
        // The channels hear of the refunds after the commit; an unknown answer leaves a refund pending for the payments job (R25).
        foreach (var refund in refunds)
            await RefundSubmission.SubmitAsync(requestServices, db, events, refund, now, log, ct);
        return TypedResults.Ok(outcome.Answer);
    }

    sealed record Outcome(IResult? Problem, JsonElement? Answer = null, bool Replayed = false);

    async Task<Outcome> CloseInAsync(DbConnection connection, DbTransaction tx, OutboxWriter outbox, List<OutboxRow> published, List<PaymentRefund> refunds,
        List<long> meterIds, long accountId, CloseAccountRequest r, DateTimeOffset at, DateTimeOffset now, string hash, ClaimsPrincipal user,
        IServiceProvider requestServices, CancellationToken ct)
    {
        var dialect = db.Dialect;
        var a = await connection.QuerySingleOrDefaultAsync<AccountRow>("""
            SELECT a.id, a.site_id, a.tenant_id, a.room_id, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen, a.fee_rate, a.keep_on,
                   a.last_switch, a.opened_at_ms, a.started_at_ms, a.closed_at_ms, s.time_zone, s.name AS site_name, t.name AS tenant_name, rm.code AS room_code
            FROM accounts a JOIN sites s ON s.id = a.site_id JOIN tenants t ON t.id = a.tenant_id LEFT JOIN rooms rm ON rm.id = a.room_id
            WHERE a.id = @accountId
            """, new { accountId }, tx);
        if (a is null) return new Outcome(Problems.NotFound($"Account {accountId}"));
        if (a.ClosedAtMs is not null)
        {
            var closure = await connection.QuerySingleOrDefaultAsync<(string RequestHash, string ResultJson)>(
                "SELECT request_hash, result_json FROM account_closures WHERE account_id = @accountId", new { accountId }, tx);
            return closure.RequestHash == hash
                ? new Outcome(null, JsonDocument.Parse(closure.ResultJson).RootElement.Clone(), Replayed: true)
                : new Outcome(Problems.Conflict($"Account {accountId} is already closed; a close with another request changes nothing."));
        }
        var zone = ApiFormat.Zone(a.TimeZone);
        var atMs = at.ToUnixTimeMilliseconds();
        if (atMs < (a.StartedAtMs ?? a.OpenedAtMs))
            return new Outcome(Problems.Field("at", $"Must not be before the tenancy began at {ApiFormat.Instant(a.StartedAtMs ?? a.OpenedAtMs, zone)}."));
        if (!Enum.TryParse<Settle>(r.Settle, ignoreCase: true, out var settle)) return new Outcome(Problems.Field("settle", "Must be refund, cash or carryDebt."));

        var meters = (await connection.QueryAsync<MeterRow>("""
            SELECT am.id AS account_meter_id, am.meter_id, m.serial, am.tariff_id, am.last_at_ms, am.last_total_milli AS total, am.last_sharp_milli AS sharp,
                   am.last_peak_milli AS peak, am.last_flat_milli AS flat, am.last_valley_milli AS valley, am.held_reading_id, m.register_max
            FROM account_meters am JOIN meters m ON m.id = am.meter_id
            WHERE am.account_id = @accountId AND am.closed_at_ms IS NULL ORDER BY am.meter_id
            """, new { accountId }, tx)).ToList();
        meterIds.AddRange(meters.Select(m => m.MeterId));

        // The final reading of each meter (R26): stored at T, entered, or estimated (R30); never one older or newer.
        var given = new Dictionary<long, (FinalReadingDto Dto, int Index)>();
        for (var i = 0; i < (r.FinalReadings?.Count ?? 0); i++)
        {
            var f = r.FinalReadings![i]!;
            if (meters.All(m => m.MeterId != f.MeterId))
                return new Outcome(Problems.Field($"finalReadings[{i}].meterId", $"Meter {f.MeterId} is not an open meter of account {accountId}."));
            given[f.MeterId] = (f, i);
        }
        var estimator = services.GetService<IReadingEstimator>();
        var finals = new List<Final>();
        foreach (var m in meters)
        {
            var path = given.TryGetValue(m.MeterId, out var g) ? $"finalReadings[{g.Index}]" : "finalReadings";
            if (m.LastAtMs > atMs)
                return new Outcome(Problems.Field("at", $"Meter {m.Serial} has readings billed up to {ApiFormat.Instant(m.LastAtMs, zone)}: close at or after that instant.",
                    StatusCodes.Status409Conflict, "Readings after the move-out instant are billed already."));
            if (m.HeldReadingId is not null)
                return new Outcome(Problems.Field(path, $"Meter {m.Serial} holds a suspect reading: accept or reject it first (R8).", StatusCodes.Status409Conflict,
                    "A suspect reading holds the meter."));
            var stored = RegisterJson.FromMilli(m.Total, m.Sharp, m.Peak, m.Flat, m.Valley);
            if (g.Dto?.Registers is { } dto)
            {
                var entered = RegisterJson.From(dto);
                if (RegisterBounds.Field(entered, ApiFormat.ParseDecimal(m.RegisterMax)) is { } register)
                    return new Outcome(Problems.Field($"{path}.registers.{register}", $"Meter {m.Serial}: {RegisterBounds.Problem(entered, ApiFormat.ParseDecimal(m.RegisterMax))}"));
                if (m.LastAtMs == atMs && entered != stored)
                    return new Outcome(Problems.Field($"{path}.registers", $"Meter {m.Serial} has another reading stored at this instant.", StatusCodes.Status409Conflict,
                        "The final reading conflicts with a stored one (R9)."));
                finals.Add(new(m, entered, m.LastAtMs == atMs ? "stored" : "entered", g.Index));
            }
            else if (m.LastAtMs == atMs) finals.Add(new(m, stored, "stored", g.Dto is null ? null : g.Index));
            else if (estimator is not null && await estimator.EstimateAsync(connection, tx, m.MeterId, at, ct) is { } estimate)
                finals.Add(new(m, estimate, "estimated", g.Dto is null ? null : g.Index));
            else
                return new Outcome(Problems.Field(g.Dto is null ? path : $"{path}.registers",
                    $"Meter {m.Serial} has no reading at {ApiFormat.Instant(atMs, zone)} and none can be estimated: enter its final reading."));
        }

        var billed = new Dictionary<long, long?>();
        var toIngest = finals.Where(f => f.Source != "stored").ToList();
        if (toIngest.Count > 0)
        {
            var run = new IngestRun(connection, tx, dialect, now);
            await run.LoadAsync(meters.Select(m => m.MeterId));
            foreach (var f in toIngest)
            {
                var path = f.Index is { } i ? $"finalReadings[{i}].registers" : "finalReadings";
                var o = await run.ApplyAsync(new ReadingInput(f.Meter.MeterId, at, f.Registers, f.Source == "estimated" ? ReadingSources.Estimate : ReadingSources.Meter), ct);
                if (o.Status is not ("billed" or "baseline"))
                    return new Outcome(o.Status == "suspect"
                        ? Problems.Refused(path, $"Meter {f.Meter.Serial}: {o.Reason}", "The final reading is implausible (R8); check it, or bill the meter's reading first.")
                        : Problems.Field(path, $"Meter {f.Meter.Serial}: {o.Reason}"));
                billed[f.Meter.MeterId] = o.AmountFen;
            }
            published.AddRange(run.Events);
            await run.FlushAsync(ct);
            foreach (var f in toIngest)
                await connection.ExecuteAsync("UPDATE readings SET reason = @reason WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND at_ms = @atMs", new
                {
                    f.Meter.MeterId, atMs,
                    reason = f.Source == "estimated" ? "Final reading at move-out, estimated (R30)" : $"Final reading at move-out, entered by user {user.Id()}",
                }, tx);
        }
        foreach (var f in finals.Where(f => f.Source == "stored"))
            billed[f.Meter.MeterId] = await connection.ExecuteScalarAsync<long?>("SELECT amount_fen FROM readings WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND at_ms = @atMs",
                new { f.Meter.MeterId, atMs }, tx);

        // R28: every agreement ends on T's day; periods charged beyond it come back, what is due up to T is charged.
        var day = ChargeTerms.DayOf(at, zone);
        var charges = new List<PostedCharge>();
        var agreements = (await connection.QueryAsync<ChargeAgreement>(ChargeAgreement.Select + " WHERE g.account_id = @accountId ORDER BY g.id",
            new { accountId }, tx)).ToList();
        foreach (var agreement in agreements.Where(g => g.ToDay is null || ChargeDays.Parse(g.ToDay) > day))
            charges.AddRange(await ChargePosting.EndAsync(connection, tx, dialect, outbox, agreement, day, user.Id(), now));
        charges.AddRange(await ChargePosting.PostDueAsync(connection, tx, dialect, outbox, new ChargeScope(AccountId: accountId), at, now));

        // R29: the deposit comes back to the wallet, where it pays a debt or leaves with the balance.
        var deposit = new Money(await DepositsApi.HeldAsync(connection, tx, accountId));
        if (deposit > Money.Zero)
            await WalletMoves.PostAsync(connection, tx, dialect, outbox, accountId, $"deposit-return:{accountId}", "deposit_return", SiteLedger.Deposits,
                intoWallet: true, deposit, now);

        var final = new Money(await connection.ExecuteScalarAsync<long>(
            "SELECT l.balance_fen FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @accountId", new { accountId }, tx));
        var orders = (await connection.QueryAsync<(long Id, string Channel, long RefundableFen)>("""
            SELECT o.id, o.channel, o.amount_fen - COALESCE((SELECT CAST(SUM(x.amount_fen) AS BIGINT) FROM payment_refunds x WHERE x.order_id = o.id AND x.state <> 'failed'), 0)
            FROM payment_orders o WHERE o.account_id = @accountId AND o.state = 'paid' ORDER BY o.paid_at_ms DESC, o.id DESC
            """, new { accountId }, tx))
            // A channel this installation has no configuration for cannot refund: its part is paid in cash.
            .Where(o => PaymentChannels.Find(requestServices, o.Channel) is not null).ToList();
        var plan = MoveOutSettlement.Plan(final, settle, orders.Select(o => new RefundSource(o.Id, new Money(o.RefundableFen))).ToList());
        // A preview answers the balance whatever the settlement asked, and says which settlements fit it.
        if (plan.Refusal is not null && r.Preview != true) return new Outcome(Problems.Refused("settle", plan.Refusal, "The balance cannot be settled that way."));
        var options = final > Money.Zero ? new[] { "refund", "cash" } : final < Money.Zero ? ["carryDebt"] : new[] { "refund", "cash", "carryDebt" };
        if (plan.Refusal is not null) plan = plan with { Refunds = [], CashOut = Money.Zero, Debt = Money.Zero };

        var refundLines = new List<object>();
        foreach (var (orderId, amount) in plan.Refunds)
        {
            var outRefundNo = OutTradeNumbers.New("RF", now);
            await connection.ExecuteAsync("""
                INSERT INTO payment_refunds (order_id, account_id, out_refund_no, idempotency_key, request_hash, amount_fen, state, reason, requested_by,
                                             created_at_ms, held_at_ms)
                VALUES (@orderId, @accountId, @outRefundNo, @key, @hash, @amountFen, 'pending', 'Move-out', @userId, @nowMs, @nowMs)
                """, new { orderId, accountId, outRefundNo, key = $"moveout:{accountId}:{orderId}", hash, amountFen = amount.Fen, userId = user.Id(),
                    nowMs = now.ToUnixTimeMilliseconds() }, tx);
            var refund = (await PaymentRefund.ByOutRefundNoAsync(connection, tx, outRefundNo))!;
            await RefundPostings.HoldAsync(connection, tx, dialect, refund, now, outbox);
            refunds.Add(refund);
            refundLines.Add(new { outTradeNo = refund.OutTradeNo, channel = refund.Channel, outRefundNo, amount = amount.ToString() });
        }
        if (plan.CashOut > Money.Zero)
            await WalletMoves.PostAsync(connection, tx, dialect, outbox, accountId, $"moveout-cash:{accountId}", "cash_out", SiteLedger.Clearing("cash"),
                intoWallet: false, plan.CashOut, now);
        if (plan.Debt > Money.Zero)
            await WalletMoves.PostAsync(connection, tx, dialect, outbox, accountId, $"moveout-debt:{accountId}", "debt", SiteLedger.TenantDebts,
                intoWallet: true, plan.Debt, now);

        // The meters are free from T on: their next readings belong to the next account, or to none.
        await connection.ExecuteAsync("UPDATE accounts SET closed_at_ms = @atMs WHERE id = @accountId", new { atMs, accountId }, tx);
        await connection.ExecuteAsync("UPDATE account_meters SET closed_at_ms = @atMs WHERE account_id = @accountId AND closed_at_ms IS NULL",
            new { atMs, accountId }, tx);

        long? nextAccountId = null;
        if (r.MoveIn is { } moveIn)
        {
            var (opened, refusal) = await MoveInAsync(connection, tx, outbox, a, meters, finals, moveIn, at, now, user);
            if (refusal is not null) return new Outcome(refusal);
            nextAccountId = opened;
            meterIds.AddRange(meters.Select(m => m.MeterId));
        }

        var receiptNo = $"MO{accountId}-{TimeZoneInfo.ConvertTime(at, zone):yyyyMMddHHmm}";
        var answer = new
        {
            accountId, tenantId = a.TenantId, tenantName = a.TenantName, siteName = a.SiteName, roomCode = a.RoomCode,
            closedAt = ApiFormat.Instant(atMs, zone), settle = r.Settle, finalBalance = final.ToString(), depositReturned = deposit.ToString(),
            refunded = plan.Refunded.ToString(), cashOut = plan.CashOut.ToString(), debt = plan.Debt.ToString(),
            finalReadings = finals.Select(f => new
            {
                meterId = f.Meter.MeterId, serial = f.Meter.Serial, at = ApiFormat.Instant(atMs, zone), registers = RegisterJson.Of(f.Registers), source = f.Source,
                amount = billed.GetValueOrDefault(f.Meter.MeterId) is { } fen ? ApiFormat.Amount(fen) : "0.00",
            }),
            charges = charges.Select(c => c.Shape()), refunds = refundLines, nextAccountId, receiptNo,
            operatorName = user.Identity?.Name, preview = r.Preview == true, settleOptions = options, refusal = plan.Refusal,
        };
        var json = JsonSerializer.SerializeToElement(answer, JsonOptions);
        await connection.ExecuteAsync("""
            INSERT INTO account_closures (account_id, closed_at_ms, request_hash, settle, final_balance_fen, deposit_returned_fen, refunded_fen, cash_out_fen,
                                          debt_fen, next_account_id, receipt_no, result_json, user_id, created_at_ms)
            VALUES (@accountId, @atMs, @hash, @settle, @finalFen, @depositFen, @refundedFen, @cashFen, @debtFen, @nextAccountId, @receiptNo, @json, @userId, @nowMs)
            """, new
        {
            accountId, atMs, hash, settle = r.Settle, finalFen = final.Fen, depositFen = deposit.Fen, refundedFen = plan.Refunded.Fen, cashFen = plan.CashOut.Fen,
            debtFen = plan.Debt.Fen, nextAccountId, receiptNo, json = json.GetRawText(), userId = user.Id(), nowMs = now.ToUnixTimeMilliseconds(),
        }, tx);
        return new Outcome(null, json);
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Opens the next account on the same meters from the final readings (no new baseline: it continues from them). A meter
    /// the outgoing account had tripped is asked to close if the new account needs supply (R16a would ask within a minute).
    /// </summary>
    async Task<(long? AccountId, IResult? Refusal)> MoveInAsync(DbConnection connection, DbTransaction tx, OutboxWriter outbox, AccountRow old,
        List<MeterRow> meters, List<Final> finals, MoveInDto m, DateTimeOffset at, DateTimeOffset now, ClaimsPrincipal user)
    {
        if (user.IsSiteScoped() && !await Tenants.TenantsApi.VisibleAsync(connection, db, user, m.TenantId))
            return (null, Problems.Field("moveIn.tenantId", $"Tenant {m.TenantId} does not exist.", StatusCodes.Status404NotFound, "The tenant was not found."));
        var tariffs = meters.ToDictionary(x => x.MeterId, x => x.TariffId);
        for (var i = 0; i < (m.Tariffs?.Count ?? 0); i++)
        {
            var t = m.Tariffs![i];
            if (!tariffs.ContainsKey(t.MeterId)) return (null, Problems.Field($"moveIn.tariffs[{i}].meterId", $"Meter {t.MeterId} is not a meter of the account."));
            // Checked here so the refusal names this entry, not the opening request built from it.
            var utility = await connection.ExecuteScalarAsync<string>("SELECT utility FROM meters WHERE id = @MeterId", new { t.MeterId }, tx);
            if (await connection.ExecuteScalarAsync<string?>("SELECT utility FROM tariffs WHERE id = @TariffId AND site_id = @SiteId", new { t.TariffId, old.SiteId }, tx) != utility)
                return (null, Problems.Field($"moveIn.tariffs[{i}].tariffId", $"Must be a {utility} tariff of the meter's site."));
            tariffs[t.MeterId] = t.TariffId;
        }
        var request = new OpenAccountRequest(m.TenantId, old.RoomId,
            finals.Select(f => new AccountMeterDto(f.Meter.MeterId, tariffs[f.Meter.MeterId], new OpeningReadingDto(ApiFormat.Instant(at), Dto(f.Registers)))).ToList(),
            m.Alarm1 ?? ApiFormat.Amount(old.Alarm1Fen), m.Alarm2 ?? ApiFormat.Amount(old.Alarm2Fen), m.Overdraft ?? ApiFormat.Amount(old.OverdraftFen),
            m.ReconnectThreshold ?? ApiFormat.Amount(old.ReconnectFen), m.ServiceFeeRate ?? old.FeeRate, m.KeepOn ?? false);
        var errors = new OpenAccountValidator().Validate(request);
        if (!errors.IsValid)
            return (null, Problems.Fields(errors.Errors.GroupBy(e => "moveIn." + Validation.Camel(e.PropertyName))
                .ToDictionary(e => e.Key, e => e.Select(x => x.ErrorMessage).Distinct().ToArray())));
        var (accountId, refusal) = await AccountOpening.OpenAsync(connection, tx, db.Dialect, request, now.ToUnixTimeMilliseconds());
        if (refusal is not null) return (null, refusal);
        if (old.LastSwitch == "trip")
        {
            // The engine last asked these meters to trip: the new tenant's supply follows the new account's balance.
            var policy = new AccountPolicy(new Money(ApiFormat.Fen(request.Alarm1!)), new Money(ApiFormat.Fen(request.Alarm2!)),
                new Money(ApiFormat.Fen(request.Overdraft!)), new Money(ApiFormat.Fen(request.ReconnectThreshold!)));
            var required = SwitchConvergence.Required(Money.Zero, policy, request.KeepOn, false, SwitchAction.Trip);
            await connection.ExecuteAsync("UPDATE accounts SET last_switch = @word WHERE id = @accountId",
                new { word = required == SwitchAction.Close ? "close" : "trip", accountId }, tx);
            if (required == SwitchAction.Close)
                foreach (var meter in meters) outbox.SwitchRequested(old.SiteId, accountId, meter.MeterId, SwitchAction.Close, now, Money.Zero, now);
        }
        return (accountId, null);
    }

    static RegistersDto Dto(Registers r) => new(ApiFormat.Decimal(r.Total), D(r.Sharp), D(r.Peak), D(r.Flat), D(r.Valley));

    static string? D(decimal? v) => v is { } x ? ApiFormat.Decimal(x) : null;
}
