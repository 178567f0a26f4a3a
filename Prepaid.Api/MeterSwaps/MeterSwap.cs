using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using CommandChange = Prepaid.Api.Devices.CommandChange;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.MeterSwaps;

/// <summary>
/// R27 (新老表切换) in one transaction: the old meter's final reading at T is billed as usual and closes its series; the new
/// meter starts at its initial reading in the same account and tariff, and its account meter carries the old one's exact
/// cumulative cost and debits (R4), so round(cumulative) − debited stays exact across the swap and no fen is lost or
/// doubled. The new meter takes the old one's connection (or the one given), its waiting commands and switch requests;
/// the old meter's open alarms are cleared, and the switch state its account requires is asked of the new meter at once.
/// Both meters and their readings stay as they are, so both series remain readable. A retry of the same request answers
/// the first result.
/// </summary>
public sealed class MeterSwap(Db db, IPostingEvents events, DeviceEventBus deviceEvents, DispatcherSignal signal, IDashboardPublisher dashboard, TimeProvider time)
{
    sealed record OldMeter(long Id, long SiteId, string Serial, string Utility, string Multiplier, string RegisterMax, string RatedMaxPerHour,
        string Resolution, long? TariffId, string? ConnectionJson);

    sealed record OpenRow(long Id, long AccountId, long TariffId, long LastAtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, long? HeldReadingId);

    sealed record CommandRow(long Id, string Kind, string? PayloadJson, string Source, long? BatchId, long? UserId);

    public async Task<IResult> ReplaceAsync(long meterId, ReplaceMeterRequest r, ClaimsPrincipal user, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var at = ApiFormat.Instant(r.At!);
        if (at > now) return Problems.Field("at", "Must not be later than now: a meter is swapped when it is, not ahead.");
        var hash = Passwords.Sha256Hex(JsonSerializer.Serialize(r));
        var published = new List<OutboxRow>();
        var changes = new List<CommandChange>();
        var alarms = new List<DeviceAlarmChange>();
        (IResult? Problem, object? Answer, long NewMeterId, bool Replayed) outcome;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var outbox = new OutboxWriter();
            outcome = await ReplaceInAsync(connection, tx, outbox, published, changes, alarms, meterId, r, at, now, hash, user, ct);
            if (outcome.Problem is null && !outcome.Replayed)
            {
                published.AddRange(outbox.Rows);
                await outbox.FlushAsync(connection, tx, db.Dialect, ct);
                await CommandEvents.WriteAsync(connection, tx, db.Dialect, changes, ct);
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            db.WriteGate.Release();
        }
        if (outcome.Problem is not null) return outcome.Problem;
        if (outcome.Replayed) return TypedResults.Ok(outcome.Answer);
        events.Posted(published);
        foreach (var c in changes) deviceEvents.Publish(c);
        foreach (var a in alarms) deviceEvents.Publish(a);
        dashboard.MetersChanged([meterId, outcome.NewMeterId]);
        signal.Wake();
        return TypedResults.Created($"/api/meters/{outcome.NewMeterId}", outcome.Answer);
    }

    async Task<(IResult? Problem, object? Answer, long NewMeterId, bool Replayed)> ReplaceInAsync(DbConnection connection, DbTransaction tx, OutboxWriter outbox,
        List<OutboxRow> published, List<CommandChange> changes, List<DeviceAlarmChange> alarms, long meterId, ReplaceMeterRequest r, DateTimeOffset at,
        DateTimeOffset now, string hash, ClaimsPrincipal user, CancellationToken ct)
    {
        var dialect = db.Dialect;
        var old = await connection.QuerySingleOrDefaultAsync<OldMeter>("""
            SELECT id, site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, tariff_id, connection_json FROM meters WHERE id = @meterId
            """, new { meterId }, tx);
        if (old is null || !user.MaySee(old.SiteId)) return (Problems.NotFound($"Meter {meterId}"), null, 0, false);
        var serial = r.NewMeter!.Serial!;
        var previous = await connection.QuerySingleOrDefaultAsync<(long NewMeterId, string RequestHash)?>("""
            SELECT x.new_meter_id, x.request_hash FROM meter_replacements x JOIN meters n ON n.id = x.new_meter_id WHERE x.old_meter_id = @meterId AND n.serial = @serial
            """, new { meterId, serial }, tx);
        if (previous is { } p && p.RequestHash == hash)
            return (null, await AnswerAsync(connection, tx, meterId, p.NewMeterId), p.NewMeterId, true);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meters WHERE serial = @serial", new { serial }, tx) > 0)
            return (Problems.Field("newMeter.serial", $"A meter with serial {serial} already exists: the new meter is a meter the platform does not know yet.",
                StatusCodes.Status409Conflict, "The serial is taken."), null, 0, false);

        var zone = ApiFormat.Zone((await connection.ExecuteScalarAsync<string>("SELECT time_zone FROM sites WHERE id = @SiteId", new { old.SiteId }, tx))!);
        var atMs = at.ToUnixTimeMilliseconds();
        var finalRegisters = RegisterJson.From(r.FinalReading!.Registers!);
        var initialRegisters = RegisterJson.From(r.InitialReading!.Registers!);
        var registerMax = r.NewMeter.RegisterMax ?? old.RegisterMax;
        if (RegisterBounds.Field(initialRegisters, ApiFormat.ParseDecimal(registerMax)) is { } badInitial)
            return (Problems.Field($"initialReading.registers.{badInitial}", RegisterBounds.Problem(initialRegisters, ApiFormat.ParseDecimal(registerMax))!), null, 0, false);
        if (RegisterBounds.Field(finalRegisters, ApiFormat.ParseDecimal(old.RegisterMax)) is { } badFinal)
            return (Problems.Field($"finalReading.registers.{badFinal}", RegisterBounds.Problem(finalRegisters, ApiFormat.ParseDecimal(old.RegisterMax))!), null, 0, false);

        // The old meter's final reading, billed as usual (R6–R16) before anything moves.
        var open = await connection.QuerySingleOrDefaultAsync<OpenRow>("""
            SELECT id, account_id, tariff_id, last_at_ms, last_total_milli AS total, last_sharp_milli AS sharp, last_peak_milli AS peak,
                   last_flat_milli AS flat, last_valley_milli AS valley, held_reading_id
            FROM account_meters WHERE meter_id = @meterId AND closed_at_ms IS NULL
            """, new { meterId }, tx);
        if (open is not null)
        {
            if (open.HeldReadingId is not null)
                return (Problems.Field("finalReading", $"Meter {old.Serial} holds a suspect reading: accept or reject it first (R8).", StatusCodes.Status409Conflict,
                    "A suspect reading holds the meter."), null, 0, false);
            if (open.LastAtMs > atMs)
                return (Problems.Field("at", $"Meter {old.Serial} has readings billed up to {ApiFormat.Instant(open.LastAtMs, zone)}: swap at or after that instant.",
                    StatusCodes.Status409Conflict, "Readings after the swap are billed already."), null, 0, false);
        }
        var stored = open is not null && open.LastAtMs == atMs;
        if (stored && RegisterJson.FromMilli(open!.Total, open.Sharp, open.Peak, open.Flat, open.Valley) != finalRegisters)
            return (Problems.Field("finalReading.registers", $"Meter {old.Serial} has another reading stored at this instant.", StatusCodes.Status409Conflict,
                "The final reading conflicts with a stored one (R9)."), null, 0, false);
        if (!stored)
        {
            var run = new IngestRun(connection, tx, dialect, now);
            await run.LoadAsync([meterId]);
            var o = await run.ApplyAsync(new ReadingInput(meterId, at, finalRegisters), ct);
            if (o.Status is not ("billed" or "baseline" or "duplicate"))
                return (o.Status == "suspect"
                    ? Problems.Refused("finalReading.registers", $"Meter {old.Serial}: {o.Reason}", "The final reading is implausible (R8); check it, or bill the meter's reading first.")
                    : Problems.Field("finalReading.registers", $"Meter {old.Serial}: {o.Reason}", o.Reason?.Contains("(R9)") == true ? StatusCodes.Status409Conflict : 400),
                    null, 0, false);
            published.AddRange(run.Events);
            await run.FlushAsync(ct);
            await connection.ExecuteAsync("UPDATE readings SET reason = @reason WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND at_ms = @atMs AND reason IS NULL",
                new { meterId, atMs, reason = $"Final reading: replaced by meter {serial} (R27)" }, tx);
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var newMeterId = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("meters",
            "site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, tariff_id, connection_json, created_at_ms",
            "@SiteId, @serial, @Utility, @multiplier, @registerMax, @RatedMaxPerHour, @Resolution, @TariffId, @ConnectionJson, @nowMs"),
            new { old.SiteId, serial, old.Utility, multiplier = r.NewMeter.Multiplier ?? old.Multiplier, registerMax, old.RatedMaxPerHour, old.Resolution,
                old.TariffId, old.ConnectionJson, nowMs }, tx);

        // The new meter is wired in the same step: where the old one sat, or where the request says.
        if (r.NewMeter.Connection is { } wiring)
        {
            var (gatewayId, problem) = await MeterConnections.CheckAsync(connection, tx, old.SiteId, old.Utility, wiring, "newMeter.connection.");
            if (problem is not null) return (problem, null, 0, false);
            await MeterConnections.WriteAsync(connection, tx, newMeterId, gatewayId, wiring, nowMs);
            await connection.ExecuteAsync("DELETE FROM meter_connections WHERE meter_id = @meterId", new { meterId }, tx);
        }
        else
            await connection.ExecuteAsync("UPDATE meter_connections SET meter_id = @newMeterId, updated_at_ms = @nowMs WHERE meter_id = @meterId",
                new { newMeterId, meterId, nowMs }, tx);

        long? accountId = open?.AccountId;
        long? newAccountMeterId = null;
        var initial = new { total = ApiFormat.Milli(initialRegisters.Total), sharp = RegisterJson.Milli(initialRegisters.Sharp), peak = RegisterJson.Milli(initialRegisters.Peak),
            flat = RegisterJson.Milli(initialRegisters.Flat), valley = RegisterJson.Milli(initialRegisters.Valley) };
        if (open is not null)
        {
            // R4 across the swap: the new account meter starts where the old one stopped, exact cost and debits included.
            var charge = await connection.QuerySingleAsync<(string ExactCost, long DebitedFen)>(
                "SELECT exact_cost, debited_fen FROM account_meters WHERE id = @Id", new { open.Id }, tx);
            await connection.ExecuteAsync("UPDATE account_meters SET closed_at_ms = @atMs WHERE id = @Id", new { atMs, open.Id }, tx);
            newAccountMeterId = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("account_meters",
                "account_id, meter_id, tariff_id, exact_cost, debited_fen, last_at_ms, last_total_milli, last_sharp_milli, last_peak_milli, last_flat_milli, last_valley_milli, seen_at_ms, opened_at_ms, replaces_id, carried_fen",
                "@AccountId, @newMeterId, @TariffId, @ExactCost, @DebitedFen, @atMs, @total, @sharp, @peak, @flat, @valley, @atMs, @nowMs, @Id, @DebitedFen"),
                new { open.AccountId, newMeterId, open.TariffId, charge.ExactCost, charge.DebitedFen, atMs, initial.total, initial.sharp, initial.peak, initial.flat,
                    initial.valley, nowMs, open.Id }, tx);
        }
        await connection.ExecuteAsync("""
            INSERT INTO readings (meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, account_meter_id, received_at_ms)
            VALUES (@newMeterId, @atMs, @total, @sharp, @peak, @flat, @valley, 'baseline', @reason, @newAccountMeterId, @nowMs)
            """, new { newMeterId, atMs, initial.total, initial.sharp, initial.peak, initial.flat, initial.valley,
                reason = $"Initial reading: replaces meter {old.Serial} (R27)", newAccountMeterId, nowMs }, tx);

        var moved = await MoveDeviceWorkAsync(connection, tx, dialect, changes, alarms, meterId, newMeterId, serial, now);
        if (accountId is { } id) await AskRequiredSwitchAsync(connection, tx, outbox, id, newMeterId, now);

        await connection.ExecuteAsync("""
            INSERT INTO meter_replacements (old_meter_id, new_meter_id, account_id, at_ms, final_total_milli, initial_total_milli, request_hash, user_id, created_at_ms)
            VALUES (@meterId, @newMeterId, @accountId, @atMs, @finalTotal, @initialTotal, @hash, @userId, @nowMs)
            """, new { meterId, newMeterId, accountId, atMs, finalTotal = ApiFormat.Milli(finalRegisters.Total), initialTotal = initial.total, hash, userId = user.Id(), nowMs }, tx);
        return (null, await AnswerAsync(connection, tx, meterId, newMeterId, moved), newMeterId, false);
    }

    /// <summary>
    /// Commands and switch requests follow the new meter: the old meter's waiting commands expire and are asked of the new
    /// one, its unconsumed switch requests are the new meter's, its open alarms clear (the new meter raises its own).
    /// </summary>
    static async Task<int> MoveDeviceWorkAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, List<CommandChange> changes, List<DeviceAlarmChange> alarms,
        long meterId, long newMeterId, string serial, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var connected = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_connections WHERE meter_id = @newMeterId", new { newMeterId }, tx) > 0;
        var waiting = (await connection.QueryAsync<CommandRow>("""
            SELECT id, kind, payload_json, source, batch_id, user_id FROM device_commands WHERE meter_id = @meterId AND state IN ('requested', 'sent') ORDER BY id
            """, new { meterId }, tx)).ToList();
        var error = $"The meter was replaced by {serial} (R27): asked of the new meter.";
        foreach (var c in waiting)
        {
            await connection.ExecuteAsync("UPDATE device_commands SET state = 'expired', error = @error, updated_at_ms = @nowMs WHERE id = @Id",
                new { c.Id, error, nowMs }, tx);
            changes.Add(new CommandChange(c.Id, meterId, c.Kind, CommandKinds.Expired, null, error, c.BatchId, now));
            var state = connected ? CommandKinds.Requested : CommandKinds.Failed;
            var failure = connected ? null : "The meter has no connection (PUT /api/meters/{id}/connection).";
            var id = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("device_commands",
                "meter_id, kind, payload_json, source, batch_id, state, error, attempts, next_attempt_at_ms, expires_at_ms, user_id, created_at_ms, updated_at_ms",
                "@newMeterId, @Kind, @PayloadJson, @Source, @BatchId, @state, @failure, 0, @nowMs, @expiresMs, @UserId, @nowMs, @nowMs"), new { newMeterId, c.Kind, c.PayloadJson, c.Source, c.BatchId, state, failure, nowMs,
                    expiresMs = nowMs + (long)CommandQueue.Lifetime.TotalMilliseconds, c.UserId }, tx);
            if (!connected) changes.Add(new CommandChange(id, newMeterId, c.Kind, state, null, failure, c.BatchId, now));
        }
        await connection.ExecuteAsync("UPDATE outbox SET meter_id = @newMeterId WHERE meter_id = @meterId AND kind = 'switchRequested' AND consumed_at_ms IS NULL",
            new { newMeterId, meterId }, tx);
        var open = (await connection.QueryAsync<(long Id, string Kind)>("SELECT id, kind FROM device_alarms WHERE meter_id = @meterId AND cleared_at_ms IS NULL",
            new { meterId }, tx)).ToList();
        foreach (var a in open)
        {
            await connection.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id = @Id", new { a.Id, nowMs }, tx);
            alarms.Add(new DeviceAlarmChange(meterId, a.Kind, false, $"The meter was replaced by {serial} (R27).", now));
        }
        return waiting.Count;
    }

    /// <summary>R16a at once for the new meter: the switch state its account requires now, before the next reconciliation pass.</summary>
    static async Task AskRequiredSwitchAsync(DbConnection connection, DbTransaction tx, OutboxWriter outbox, long accountId, long newMeterId, DateTimeOffset now)
    {
        var a = await connection.QuerySingleAsync<(long SiteId, long BalanceFen, long Alarm1Fen, long Alarm2Fen, long OverdraftFen, long ReconnectFen, long KeepOn,
            string? LastSwitch, long ChargeArrearsFen)>("""
            SELECT a.site_id, l.balance_fen, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen, a.keep_on, a.last_switch, a.charge_arrears_fen
            FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @accountId
            """, new { accountId }, tx);
        var policy = new AccountPolicy(new Money(a.Alarm1Fen), new Money(a.Alarm2Fen), new Money(a.OverdraftFen), new Money(a.ReconnectFen));
        var balance = new Money(a.BalanceFen);
        var last = a.LastSwitch switch { "trip" => SwitchAction.Trip, "close" => SwitchAction.Close, _ => (SwitchAction?)null };
        if (SwitchConvergence.Required(ChargeArrears.SwitchingBalance(balance, new Money(a.ChargeArrearsFen)), policy, a.KeepOn == 1, false, last) is not { } action)
            return;
        var site = (await SiteRuntime.LoadAsync(connection, tx, a.SiteId))!;
        var notBefore = action == SwitchAction.Trip ? site.Cutoff.NextAllowed(now, site.Zone) : now;
        outbox.SwitchRequested(a.SiteId, accountId, newMeterId, action, notBefore, balance, now);
    }

    /// <summary>
    /// The swap as the API answers it: both meters, the account, the instant, both readings, what the final reading billed,
    /// and (when just made) how many waiting commands moved to the new meter.
    /// </summary>
    public static async Task<object?> AnswerAsync(DbConnection connection, DbTransaction? tx, long oldMeterId, long newMeterId, int? commandsMoved = null)
    {
        var x = await connection.QuerySingleOrDefaultAsync<(long Id, long OldMeterId, string OldSerial, long NewMeterId, string NewSerial, long? AccountId, long AtMs,
            long FinalTotal, long InitialTotal, string TimeZone, long? FinalFen)>("""
            SELECT x.id, x.old_meter_id, o.serial, x.new_meter_id, n.serial, x.account_id, x.at_ms, x.final_total_milli, x.initial_total_milli, s.time_zone,
                   (SELECT r.amount_fen FROM readings r WHERE r.meter_block = x.old_meter_id / 64 AND r.meter_id = x.old_meter_id AND r.at_ms = x.at_ms) AS final_fen
            FROM meter_replacements x JOIN meters o ON o.id = x.old_meter_id JOIN meters n ON n.id = x.new_meter_id JOIN sites s ON s.id = o.site_id
            WHERE x.old_meter_id = @oldMeterId AND x.new_meter_id = @newMeterId
            """, new { oldMeterId, newMeterId }, tx);
        if (x.Id == 0) return null;
        return new
        {
            replacementId = x.Id, oldMeterId = x.OldMeterId, oldSerial = x.OldSerial, newMeterId = x.NewMeterId, newSerial = x.NewSerial, accountId = x.AccountId,
            at = ApiFormat.Instant(x.AtMs, ApiFormat.Zone(x.TimeZone)), finalTotal = ApiFormat.Decimal(ApiFormat.FromMilli(x.FinalTotal)),
            initialTotal = ApiFormat.Decimal(ApiFormat.FromMilli(x.InitialTotal)), finalBilled = ApiFormat.Amount(x.FinalFen ?? 0), commandsMoved,
        };
    }
}
