using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Devices.Metering;
using Prepaid.Engine;

namespace Prepaid.Api.Devices;

/// <summary>
/// Puts commands into the durable queue: operators' single and batch commands, and the engine's switch requests
/// from the outbox. Everything here only writes rows; the dispatcher does the talking.
/// </summary>
public sealed class CommandQueue(Db db, DeviceEventBus events, TimeProvider time)
{
    /// <summary>How long a command may wait for its meter (offline, NB-IoT asleep) before it expires.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public sealed record Enqueued(long CommandId, long MeterId, string State, string? Error);

    /// <summary>Queues one command per meter. Meters that cannot do it (no connection, no such register) get a command
    /// recorded as failed with the reason, so every meter's outcome shows; a batch is checked first (<see cref="CheckAsync"/>).</summary>
    public async Task<List<Enqueued>> EnqueueAsync(IReadOnlyList<long> meterIds, string kind, string? payloadJson, string source, long? batchId, long? userId,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var result = new List<Enqueued>(meterIds.Count);
        List<CommandChange> failed;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var connected = await ProfilesAsync(connection, tx, meterIds);
            foreach (var meterId in meterIds)
            {
                var (payload, error) = await EvaluateAsync(connection, tx, meterId, connected, kind, payloadJson, now);
                if (kind is "keepOn" or "restorePrepaid" && error is null)
                    // Keep-on is first the platform's promise: the engine stops asking for trips at once, whatever the meter can do.
                    await connection.ExecuteAsync("""
                        UPDATE accounts SET keep_on = @on WHERE id IN (SELECT account_id FROM account_meters WHERE meter_id = @meterId AND closed_at_ms IS NULL)
                        """, new { on = kind == "keepOn" ? 1 : 0, meterId }, tx);
                var state = error is null ? CommandKinds.Requested : CommandKinds.Failed;
                var id = await InsertAsync(connection, tx, meterId, kind, payload ?? payloadJson, source, null, batchId, state, error, userId, nowMs);
                result.Add(new Enqueued(id, meterId, state, error));
            }
            failed = [.. result.Where(e => e.State == CommandKinds.Failed).Select(e => new CommandChange(e.CommandId, e.MeterId, kind, e.State, null, e.Error, batchId, now))];
            await CommandEvents.WriteAsync(connection, tx, db.Dialect, failed, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        foreach (var c in failed) events.Publish(c);
        return result;
    }

    public sealed record Refusal(long MeterId, string? Profile, string Reason);

    /// <summary>
    /// A batch's pre-flight: which meters cannot take the command and why (no connection, a profile without the relay,
    /// valve or register, no tariff to push), found before anything is written. Nothing is queued here.
    /// </summary>
    public async Task<List<Refusal>> CheckAsync(IReadOnlyList<long> meterIds, string kind, string? payloadJson, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        var connected = await ProfilesAsync(connection, null, meterIds);
        var refused = new List<Refusal>();
        foreach (var meterId in meterIds)
        {
            var (_, error) = await EvaluateAsync(connection, null, meterId, connected, kind, payloadJson, now);
            if (error is not null) refused.Add(new Refusal(meterId, connected.GetValueOrDefault(meterId), error));
        }
        return refused;
    }

    async Task<Dictionary<long, string>> ProfilesAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<long> meterIds) =>
        (await connection.QueryAsync<(long MeterId, string Profile)>(
            $"SELECT meter_id, profile FROM meter_connections WHERE meter_id IN {db.Dialect.IdsFromJson("@ids")}",
            new { ids = JsonSerializer.Serialize(meterIds.Distinct()) }, tx))
        .ToDictionary(c => c.MeterId, c => c.Profile);

    /// <summary>Whether one meter can take the command, and the payload it would carry (pushed values resolved and fixed).</summary>
    static async Task<(string? Payload, string? Error)> EvaluateAsync(DbConnection connection, DbTransaction? tx, long meterId,
        Dictionary<long, string> connected, string kind, string? payloadJson, DateTimeOffset now)
    {
        if (!connected.TryGetValue(meterId, out var profileName))
            return (null, "The meter has no connection (PUT /api/meters/{id}/connection).");
        var profile = MeterProfiles.Find(profileName)!;
        if (CommandKinds.Plan(kind, profile) is { Refusal: { } refusal })
            return (null, refusal);
        if (kind is "pushTariff" or "pushSettings")
            return await CommandParameters.ResolveAsync(connection, tx, meterId, profile, kind, payloadJson, now);
        return (payloadJson, null);
    }

    async Task<long> InsertAsync(DbConnection connection, DbTransaction tx, long meterId, string kind, string? payloadJson, string source, long? outboxId,
        long? batchId, string state, string? error, long? userId, long nowMs) =>
        await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("device_commands",
            "meter_id, kind, payload_json, source, outbox_id, batch_id, state, error, attempts, next_attempt_at_ms, expires_at_ms, user_id, created_at_ms, updated_at_ms",
            "@meterId, @kind, @payloadJson, @source, @outboxId, @batchId, @state, @error, 0, @nowMs, @expiresMs, @userId, @nowMs, @nowMs"),
            new { meterId, kind, payloadJson, source, outboxId, batchId, state, error, nowMs, expiresMs = nowMs + (long)Lifetime.TotalMilliseconds, userId }, tx);

    sealed record SwitchRow(long Id, long MeterId, long? AccountId, string PayloadJson, long NotBeforeMs);

    /// <summary>R16a at the moment a trip would act: only while the account is open, in arrears and not keep-on.</summary>
    static async Task<bool> TripStillRequiredAsync(DbConnection connection, DbTransaction tx, long? accountId)
    {
        if (accountId is null) return true;
        var a = await connection.QuerySingleOrDefaultAsync<(long BalanceFen, long Alarm1Fen, long Alarm2Fen, long OverdraftFen, long ReconnectFen,
            long KeepOn, long? ClosedAtMs, long ChargeArrearsFen)?>("""
            SELECT l.balance_fen, a.alarm1_fen, a.alarm2_fen, a.overdraft_fen, a.reconnect_fen, a.keep_on, a.closed_at_ms, a.charge_arrears_fen
            FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @accountId
            """, new { accountId }, tx);
        if (a is not { } r) return true;
        var policy = new AccountPolicy(new Money(r.Alarm1Fen), new Money(r.Alarm2Fen), new Money(r.OverdraftFen), new Money(r.ReconnectFen));
        var switching = ChargeArrears.SwitchingBalance(new Money(r.BalanceFen), new Money(r.ChargeArrearsFen));
        return SwitchConvergence.Required(switching, policy, r.KeepOn == 1, r.ClosedAtMs is not null, null) == SwitchAction.Trip;
    }

    /// <summary>
    /// Turns the engine's due switch requests into commands, in outbox order, and marks them consumed. A request not
    /// yet due (a trip inside the friendly window) stays in the outbox; a later request for the same meter supersedes
    /// it (a top-up's close cancels the waiting trip) and supersedes any engine command still in flight the other way.
    /// A trip is dropped when it is due but no longer required (the account was set keep-on, left arrears or closed).
    /// Only meters with a connection are taken: requests for unconnected meters stay for whoever handles them by hand.
    /// </summary>
    public async Task<int> ImportOutboxAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var superseded = new List<CommandChange>();
        var imported = 0;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var rows = (await connection.QueryAsync<SwitchRow>("""
                SELECT o.id, o.meter_id, o.account_id, o.payload_json, o.not_before_ms FROM outbox o JOIN meter_connections c ON c.meter_id = o.meter_id
                WHERE o.kind = 'switchRequested' AND o.consumed_at_ms IS NULL ORDER BY o.id
                """)).ToList();
            if (rows.Count == 0) return 0;
            await using var tx = db.Dialect.BeginWrite(connection);
            foreach (var byMeter in rows.GroupBy(r => r.MeterId))
            {
                var list = byMeter.ToList();
                // The newest due request decides; everything older for this meter is superseded.
                var latestDue = list.LastOrDefault(r => r.NotBeforeMs <= nowMs);
                if (latestDue is null) continue;
                foreach (var old in list.Where(r => r.Id < latestDue.Id))
                    await connection.ExecuteAsync("UPDATE outbox SET consumed_at_ms = @nowMs WHERE id = @Id", new { nowMs, old.Id }, tx);
                var kind = JsonDocument.Parse(latestDue.PayloadJson).RootElement.GetProperty("action").GetString() == "close" ? "close" : "trip";
                if (kind == "trip" && !await TripStillRequiredAsync(connection, tx, latestDue.AccountId))
                {
                    // A trip that waited (friendly window) for an account since set keep-on, paid out of arrears or closed.
                    await connection.ExecuteAsync("UPDATE outbox SET consumed_at_ms = @nowMs WHERE id = @Id", new { nowMs, latestDue.Id }, tx);
                    continue;
                }
                var opposite = kind == "close" ? "trip" : "close";
                var pending = (await connection.QueryAsync<(long Id, long? BatchId)>("""
                    SELECT id, batch_id FROM device_commands WHERE meter_id = @MeterId AND source = 'engine' AND kind = @opposite AND state IN ('requested', 'sent')
                    """, new { latestDue.MeterId, opposite }, tx)).ToList();
                foreach (var p in pending)
                {
                    await connection.ExecuteAsync("""
                        UPDATE device_commands SET state = 'expired', error = @error, updated_at_ms = @nowMs WHERE id = @Id
                        """, new { p.Id, nowMs, error = $"Superseded by a later {kind} request." }, tx);
                    superseded.Add(new CommandChange(p.Id, latestDue.MeterId, opposite, CommandKinds.Expired, null, $"Superseded by a later {kind} request.", p.BatchId, now));
                }
                await InsertAsync(connection, tx, latestDue.MeterId, kind, latestDue.PayloadJson, "engine", latestDue.Id, null, CommandKinds.Requested, null, null, nowMs);
                await connection.ExecuteAsync("UPDATE outbox SET consumed_at_ms = @nowMs WHERE id = @Id", new { nowMs, latestDue.Id }, tx);
                imported++;
            }
            await CommandEvents.WriteAsync(connection, tx, db.Dialect, superseded, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        foreach (var c in superseded) events.Publish(c);
        return imported;
    }
}
