using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;

namespace Prepaid.Api.Devices;

/// <summary>What one poll of one meter gave.</summary>
public sealed record PollOutcome(ConnectedMeter Meter, DeviceResult<MeterSnapshot> Result);

/// <summary>
/// Keeps <c>meter_status</c>, <c>meters.relay_state</c> and the device alarms in step with what meters answer:
/// N missed polls in a row turn a meter offline (an alarm), one answer brings it back; a meter that reports its relay
/// open while its register keeps rising raises a relay-failure alarm.
/// </summary>
public sealed class MeterStatusWriter(Db db, DeviceEventBus events, TimeProvider time)
{
    readonly record struct StatusRow(long MeterId, long Online, long MissedPolls, long? SwitchOpen, long? SwitchOpenTotalMilli);

    public Task RecordAsync(IReadOnlyList<PollOutcome> outcomes, long offlineAfter, CancellationToken ct = default) =>
        RecordAsync([.. outcomes.Select(o => (o, offlineAfter))], ct);

    /// <summary>Outcomes of several buses in one transaction, each with its bus's offline threshold.</summary>
    public async Task RecordAsync(IReadOnlyList<(PollOutcome Outcome, long OfflineAfter)> outcomes, CancellationToken ct = default)
    {
        if (outcomes.Count == 0) return;
        IReadOnlyList<DeviceAlarmChange> raised;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            raised = await WriteAsync(connection, tx, outcomes, ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        Publish(raised);
    }

    /// <summary>Sends the alarm changes <see cref="WriteAsync"/> returned, once its transaction has committed.</summary>
    public void Publish(IReadOnlyList<DeviceAlarmChange> raised)
    {
        foreach (var a in raised) events.Publish(a);
    }

    /// <summary>
    /// The outcomes written in the caller's write transaction (held under <see cref="Db.WriteGate"/>), which commits them:
    /// the poller's joined write runs this before its readings' ingest, in the ingest's transaction. Touches only
    /// <c>meter_status</c>, <c>meters.relay_state</c> and the offline, relay-failure and trip/close-failed alarms, none
    /// of which the ingest's kept state holds. Returns the alarm changes to <see cref="Publish"/> after the commit.
    /// </summary>
    public async Task<IReadOnlyList<DeviceAlarmChange>> WriteAsync(DbConnection connection, DbTransaction tx,
        IReadOnlyList<(PollOutcome Outcome, long OfflineAfter)> outcomes, CancellationToken ct = default)
    {
        var raised = new List<DeviceAlarmChange>();
        if (outcomes.Count == 0) return raised;
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var ids = System.Text.Json.JsonSerializer.Serialize(outcomes.Select(o => o.Outcome.Meter.MeterId));
        // Read straight from SQLite's statement (SqliteRows): through Dapper the 10,000 rows of a sweep cost more than writing them.
        var rows = new Dictionary<long, StatusRow>(outcomes.Count);
        await using (var load = connection.CreateCommand())
        {
            load.Transaction = tx;
            load.CommandText = $"SELECT meter_id, online, missed_polls, switch_open, switch_open_total_milli FROM meter_status WHERE meter_id IN {db.Dialect.IdsFromJson("@ids")}";
            await SqliteRows.ForEachAsync(load, db.Dialect, ids, r => AddRow(r, rows), r => AddRow(r, rows), ct);
        }
        // Every open relay failure, one look-up of the open alarms' partial index for the whole call: there are few of
        // them, where probing the index for each of the call's meters cost as much as a tenth of the call.
        var relayFailures = (await connection.QueryAsync<long>(
            "SELECT meter_id FROM device_alarms WHERE kind = 'relayFailure' AND cleared_at_ms IS NULL", transaction: tx)).ToHashSet();
        // The answers' one UPDATE each runs for all of them at once after the loop (bound by position on SQLite, one
        // statement from arrays on PostgreSQL); the rare statements of a change (alarms, relay state, a miss) run in it.
        var answers = new List<Answer>(outcomes.Count);
        var seen = new HashSet<long>();
        foreach (var (o, offlineAfter) in outcomes)
        {
            var meterId = o.Meter.MeterId;
            // A meter twice in one call: its first outcome's writes go first, and its second sees the row they left.
            if (!seen.Add(meterId)) await WriteAnswersAsync(connection, tx, answers, nowMs, ct);
            if (!rows.TryGetValue(meterId, out var row))
            {
                row = new StatusRow(meterId, 1, 0, null, null);
                await connection.ExecuteAsync("INSERT INTO meter_status (meter_id, online, missed_polls, updated_at_ms) VALUES (@meterId, 1, 0, @nowMs)",
                    new { meterId, nowMs }, tx);
            }
            if (o.Result.IsOk)
            {
                var s = o.Result.Value!;
                if (row.Online == 0)
                    raised.Add(await ClearAsync(connection, tx, meterId, "offline", "The meter answers again.", now));
                long? open = s.SwitchOpen is { } b ? (b ? 1 : 0) : null;
                long? sinceMs = null, openTotal = null;
                if (open == 1)
                {
                    var firstSeenOpen = row.SwitchOpen != 1;
                    openTotal = firstSeenOpen ? s.TotalMilli : row.SwitchOpenTotalMilli;
                    sinceMs = firstSeenOpen ? nowMs : null;
                    // A cut supply must not meter: more than one register step since the relay opened means it did not.
                    if (!firstSeenOpen && s.TotalMilli > (openTotal ?? s.TotalMilli) + StepMilli(o.Meter.Resolution)
                        && relayFailures.Add(meterId))
                        raised.Add(await RaiseAsync(connection, tx, meterId, "relayFailure",
                            $"Reported open since {openTotal / 1000m} but the register reads {s.TotalMilli / 1000m}.", now));
                }
                else if (open == 0 && relayFailures.Remove(meterId))
                    raised.Add(await ClearAsync(connection, tx, meterId, "relayFailure", "The relay reports closed.", now));
                if (open is { } shown && shown != row.SwitchOpen && await ClearSwitchFailedAsync(connection, tx, meterId, shown == 1, now) is { } cleared)
                    raised.Add(cleared);
                answers.Add(new Answer(meterId, s.TotalMilli, open, sinceMs, openTotal));
                // meters.relay_state moves with meter_status.switch_open (here and in RecordSwitchAsync): written when it changes.
                if (open is { } o2 && o2 != row.SwitchOpen)
                    await connection.ExecuteAsync("UPDATE meters SET relay_state = @state WHERE id = @meterId",
                        new { meterId, state = o2 == 1 ? "open" : "closed" }, tx);
                rows[meterId] = new StatusRow(meterId, 1, 0, open ?? row.SwitchOpen, open == 1 ? openTotal : null);
            }
            else
            {
                var missed = row.MissedPolls + 1;
                var goesOffline = row.Online == 1 && missed >= offlineAfter;
                await connection.ExecuteAsync("UPDATE meter_status SET missed_polls = @missed, online = @online, updated_at_ms = @nowMs WHERE meter_id = @meterId",
                    new { meterId, missed, online = goesOffline ? 0 : row.Online, nowMs }, tx);
                if (goesOffline)
                    raised.Add(await RaiseAsync(connection, tx, meterId, "offline",
                        $"{missed} polls missed in a row; last: {o.Result.Status} {o.Result.Detail}", now));
                rows[meterId] = row with { MissedPolls = missed, Online = goesOffline ? 0 : row.Online };
            }
        }
        await WriteAnswersAsync(connection, tx, answers, nowMs, ct);
        return raised;
    }

    static void AddRow<TRow>(TRow r, Dictionary<long, StatusRow> rows) where TRow : IRow =>
        rows[r.Int64(0)] = new StatusRow(r.Int64(0), r.Int64(1), r.Int64(2), r.Int64OrNull(3), r.Int64OrNull(4));

    /// <summary>What an answer writes to its meter's status row (see <see cref="Answered"/>).</summary>
    readonly record struct Answer(long MeterId, long TotalMilli, long? Open, long? SinceMs, long? OpenTotalMilli);

    Task WriteAnswersAsync(DbConnection connection, DbTransaction tx, List<Answer> answers, long nowMs, CancellationToken ct)
    {
        if (answers.Count == 0) return Task.CompletedTask;
        Answer[] taken = [.. answers];
        answers.Clear();
        return BatchedStatements.RunAsync(connection, tx, db.Dialect, taken, Answered, (a, p) =>
        {
            p[0].Value = nowMs;
            p[1].Value = a.TotalMilli;
            p[2].Value = (object?)a.Open ?? DBNull.Value;
            p[3].Value = (object?)a.SinceMs ?? DBNull.Value;
            p[4].Value = (object?)a.OpenTotalMilli ?? DBNull.Value;
            p[5].Value = a.MeterId;
        }, ct);
    }

    /// <summary>The statement that records an answer, its parameters in the order <see cref="WriteAnswersAsync"/> fills them.</summary>
    public static DbParameter[] Answered(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = """
            UPDATE meter_status SET online = 1, missed_polls = 0, last_seen_at_ms = @nowMs, last_total_milli = @total,
                switch_open = COALESCE(@open, switch_open),
                switch_open_since_ms = CASE WHEN @open = 1 THEN COALESCE(@sinceMs, switch_open_since_ms) ELSE NULL END,
                switch_open_total_milli = CASE WHEN @open = 1 THEN @openTotal ELSE NULL END,
                updated_at_ms = @nowMs
            WHERE meter_id = @meterId
            """;
        return [.. new[] { "@nowMs", "@total", "@open", "@sinceMs", "@openTotal", "@meterId" }.Select(n => dialect.Parameter(command, n, ParameterType.BigInt))];
    }

    /// <summary>Records a switch state read back by the dispatcher (relay_state and the relay-failure baseline); returns the
    /// "trip failed" / "close failed" alarm it cleared, if any, for the caller to publish after its commit.</summary>
    public async Task<DeviceAlarmChange?> RecordSwitchAsync(DbConnection connection, DbTransaction tx, long meterId, MeterSnapshot s, long nowMs)
    {
        if (s.SwitchOpen is not { } open) return null;
        await connection.ExecuteAsync("UPDATE meters SET relay_state = @state WHERE id = @meterId", new { meterId, state = open ? "open" : "closed" }, tx);
        var n = await connection.ExecuteAsync("""
            UPDATE meter_status SET switch_open = @o, last_seen_at_ms = @nowMs, online = 1, missed_polls = 0,
                switch_open_since_ms = CASE WHEN @o = 1 AND (switch_open IS NULL OR switch_open = 0) THEN @nowMs WHEN @o = 1 THEN switch_open_since_ms ELSE NULL END,
                switch_open_total_milli = CASE WHEN @o = 1 AND (switch_open IS NULL OR switch_open = 0) THEN @total WHEN @o = 1 THEN switch_open_total_milli ELSE NULL END,
                updated_at_ms = @nowMs
            WHERE meter_id = @meterId
            """, new { meterId, o = open ? 1 : 0, nowMs, total = s.TotalMilli }, tx);
        if (n == 0)
            await connection.ExecuteAsync("""
                INSERT INTO meter_status (meter_id, online, missed_polls, last_seen_at_ms, last_total_milli, switch_open, switch_open_since_ms, switch_open_total_milli, updated_at_ms)
                VALUES (@meterId, 1, 0, @nowMs, @total, @o, @since, @openTotal, @nowMs)
                """, new { meterId, nowMs, total = s.TotalMilli, o = open ? 1 : 0, since = open ? nowMs : (long?)null, openTotal = open ? s.TotalMilli : (long?)null }, tx);
        return await ClearSwitchFailedAsync(connection, tx, meterId, open, DateTimeOffset.FromUnixTimeMilliseconds(nowMs));
    }

    /// <summary>R16a: the meter shows tripped (or closed), so a "trip failed" (or "close failed") alarm ends here, not at the next reconciliation.</summary>
    static async Task<DeviceAlarmChange?> ClearSwitchFailedAsync(DbConnection c, DbTransaction tx, long meterId, bool open, DateTimeOffset now)
    {
        var kind = open ? SwitchReconciliation.TripFailed : SwitchReconciliation.CloseFailed;
        var n = await c.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE meter_id = @meterId AND kind = @kind AND cleared_at_ms IS NULL",
            new { meterId, kind, nowMs = now.ToUnixTimeMilliseconds() }, tx);
        return n == 0 ? null : new DeviceAlarmChange(meterId, kind, false, open ? "The meter confirms it is tripped." : "The meter confirms supply is on.", now);
    }

    static long StepMilli(string resolution) => (long)(decimal.Parse(resolution, CultureInfo.InvariantCulture) * 1000m);

    static async Task<DeviceAlarmChange> RaiseAsync(DbConnection c, DbTransaction tx, long meterId, string kind, string detail, DateTimeOffset now)
    {
        await c.ExecuteAsync("INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@meterId, @kind, @detail, @nowMs)",
            new { meterId, kind, detail, nowMs = now.ToUnixTimeMilliseconds() }, tx);
        return new DeviceAlarmChange(meterId, kind, true, detail, now);
    }

    static async Task<DeviceAlarmChange> ClearAsync(DbConnection c, DbTransaction tx, long meterId, string kind, string detail, DateTimeOffset now)
    {
        await c.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE meter_id = @meterId AND kind = @kind AND cleared_at_ms IS NULL",
            new { meterId, kind, nowMs = now.ToUnixTimeMilliseconds() }, tx);
        return new DeviceAlarmChange(meterId, kind, false, detail, now);
    }
}
