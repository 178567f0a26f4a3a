using Dapper;
using Prepaid.Api.Cluster;
using Prepaid.Api.Data;
using Prepaid.Api.Devices.NbIot;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;

namespace Prepaid.Api.Devices;

/// <summary>
/// Works the command queue: imports the engine's due switch requests, then runs every due command, one lane per bus
/// (in order per meter), all buses in parallel. A command is sent, then the meter's own status is read back; only a
/// read-back showing the asked state confirms it. Otherwise it is retried with back-off and fails after
/// <see cref="MaxAttempts"/>, or expires. NB-IoT meters get their command cached at the platform instead.
/// With several nodes, a node claims only the commands of the buses and lanes it leases, checks the lease right before
/// each send, and writes every outcome under the epoch it claimed the command with (<see cref="CommandStateWriter"/>).
/// </summary>
public sealed class CommandDispatcher(Db db, CommandQueue queue, BusLinks links, CommandStateWriter writer, NbIotCommandSender nbIot,
    NodeLeases leases, TimeProvider time, ILogger<CommandDispatcher> log)
{
    public const int MaxAttempts = 5;

    /// <summary>How long a DL/T 645 meter may still act on a command: a frame stuck in a DTU must not trip a meter later.</summary>
    static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(10);

    readonly SemaphoreSlim running = new(1, 1);

    sealed record DueCommand(long Id, long MeterId, string Kind, string State, long Attempts, long ExpiresAtMs, long? BatchId, string? PlatformCommandId,
        string? PayloadJson)
    {
        /// <summary>The lease the command was claimed under (null: the meter has no connection, no wire is touched).</summary>
        public LeaseClaim? Lease { get; init; }
    }

    /// <summary>One pass over the queue; returns how many commands were worked on. Runs are serialised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await running.WaitAsync(ct);
        try
        {
            await queue.ImportOutboxAsync(ct);
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            List<DueCommand> due;
            Dictionary<long, ConnectedMeter> meters;
            Dictionary<long, BusPlan> buses;
            await using (var connection = await db.OpenAsync(ct))
            {
                due = leases.Enabled ? await ClaimAsync(connection, nowMs, ct) : (await connection.QueryAsync<DueCommand>("""
                    SELECT id, meter_id, kind, state, attempts, expires_at_ms, batch_id, platform_command_id, payload_json FROM device_commands
                    WHERE state IN ('requested', 'sent') AND next_attempt_at_ms <= @nowMs ORDER BY id
                    """, new { nowMs })).ToList();
                if (due.Count == 0) return 0;
                meters = await DeviceDirectory.MetersAsync(connection, db.Dialect, due.Select(d => d.MeterId));
                buses = (await DeviceDirectory.BusesAsync(connection)).ToDictionary(b => b.BusId);
            }
            due = [.. due.Select(d => d with { Lease = meters.GetValueOrDefault(d.MeterId) is { } m ? leases.Claim(m.BusId is { } b ? NodeLeases.Bus(b) : NodeLeases.Lane(m.GatewayId)) : null })];
            var lanes = due.GroupBy(d => meters.GetValueOrDefault(d.MeterId)?.BusId ?? 0)
                .Select(g => Task.Run(() => LaneAsync(g.ToList(), meters, g.Key == 0 ? null : buses.GetValueOrDefault(g.Key), ct), ct))
                .ToList();
            var all = Task.WhenAll(lanes);
            // Commit progress while the lanes run, so the dashboard sees confirmations as they come rather than at the end.
            // (Real time on purpose: this is write batching, not a business deadline.)
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(25, ct));
                await writer.FlushAsync(ct);
            }
            await all;
            await writer.FlushAsync(ct);
            return due.Count;
        }
        finally
        {
            running.Release();
        }
    }

    /// <summary>
    /// Cluster mode: takes the due commands of this node's buses and lanes (and of meters with no connection, which any
    /// node may fail), skipping rows another node's claim has locked, and holds them for one lease period so a takeover
    /// mid-send does not run them twice at once. A command whose write is refused (lease lost) is due again after the hold.
    /// </summary>
    async Task<List<DueCommand>> ClaimAsync(System.Data.Common.DbConnection connection, long nowMs, CancellationToken ct)
    {
        var (ownedBuses, ownedLanes) = leases.Owned();
        var d = db.Dialect;
        await using var tx = await connection.BeginTransactionAsync(ct);
        var claimed = (await connection.QueryAsync<DueCommand>($"""
            SELECT id, meter_id, kind, state, attempts, expires_at_ms, batch_id, platform_command_id, payload_json FROM device_commands{d.ClaimHint}
            WHERE state IN ('requested', 'sent') AND next_attempt_at_ms <= @nowMs
              AND (meter_id IN (SELECT meter_id FROM meter_connections WHERE bus_id IN {d.IdsFromJson("@buses")}
                                   OR (bus_id IS NULL AND gateway_id IN {d.IdsFromJson("@lanes")}))
                   OR meter_id NOT IN (SELECT meter_id FROM meter_connections))
            ORDER BY id{d.ClaimSuffix}
            """, new { nowMs, buses = System.Text.Json.JsonSerializer.Serialize(ownedBuses), lanes = System.Text.Json.JsonSerializer.Serialize(ownedLanes) }, tx)).ToList();
        if (claimed.Count > 0)
            await connection.ExecuteAsync($"UPDATE device_commands SET next_attempt_at_ms = @holdMs WHERE id IN {d.IdsFromJson("@ids")}",
                new { holdMs = nowMs + (long)leases.LeaseLength.TotalMilliseconds, ids = System.Text.Json.JsonSerializer.Serialize(claimed.Select(c => c.Id)) }, tx);
        await tx.CommitAsync(ct);
        return claimed;
    }

    async Task LaneAsync(List<DueCommand> commands, Dictionary<long, ConnectedMeter> meters, BusPlan? bus, CancellationToken ct)
    {
        foreach (var c in commands)
        {
            try
            {
                await RunAsync(c, meters.GetValueOrDefault(c.MeterId), bus, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Only the run's own cancellation stops the lane: anything else (a timeout inside a client included)
                // is this command's failed attempt, and the lane goes on with the next meter.
                log.LogWarning(e, "Command {CommandId} failed unexpectedly; it is retried.", c.Id);
                Retry(c, c.Attempts + 1, e.Message);
            }
        }
    }

    async Task RunAsync(DueCommand c, ConnectedMeter? meter, BusPlan? bus, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        if (nowMs >= c.ExpiresAtMs)
        {
            writer.Add(Update(c, CommandKinds.Expired, c.Attempts, nowMs, null, "Not confirmed before it expired."));
            return;
        }
        if (meter is null)
        {
            writer.Add(Update(c, CommandKinds.Failed, c.Attempts, nowMs, null, "The meter has no connection any more."));
            return;
        }
        var (action, refusal) = CommandKinds.Plan(c.Kind, meter.Target.Profile);
        if (refusal is not null)
        {
            writer.Add(Update(c, CommandKinds.Failed, c.Attempts, nowMs, null, refusal));
            return;
        }
        if (action is null)
        {
            writer.Add(Update(c, CommandKinds.Confirmed, c.Attempts, nowMs, "Kept by the platform: the meter has no keep-power register.", null));
            return;
        }
        // Checked right before the wire: a node paused past its lease wakes up without it and sends nothing.
        if (!leases.Holds(c.Lease)) return;
        if (meter.BusId is null)
        {
            await nbIot.SendAsync(c.Id, c.MeterId, c.Kind, c.BatchId, c.Attempts, c.ExpiresAtMs, meter, action.Value, ct, c.State, c.Lease);
            return;
        }
        if (bus is null)
        {
            writer.Add(Update(c, CommandKinds.Failed, c.Attempts, nowMs, null, "The meter's bus no longer exists."));
            return;
        }
        var attempts = c.Attempts + 1;
        var link = links.For(bus.BusId, bus.Endpoint(now));
        if (action == MeterAction.PushParameters)
        {
            foreach (var parameter in CommandParameters.Parse(c.PayloadJson!))
            {
                if (!leases.Holds(c.Lease)) return;
                var pushed = await link.PushParameterAsync(meter.Target, parameter, ct);
                if (pushed.Status == DeviceResultStatus.NotSent) return; // no longer this node's bus: its new owner sends it
                if (!pushed.IsOk)
                {
                    Retry(c, attempts, $"{parameter.Parameter.Name()} not confirmed: {pushed.Status} {pushed.Detail}");
                    return;
                }
            }
            writer.Add(Update(c, CommandKinds.Confirmed, attempts, nowMs, "Every value read back as written.", null));
            return;
        }
        var sent = await link.ActAsync(meter.Target, action.Value, now + ValidFor, ct);
        if (sent.Status == DeviceResultStatus.NotSent) return; // no longer this node's bus: its new owner sends it
        if (!sent.IsOk && sent.Status is DeviceResultStatus.Timeout or DeviceResultStatus.ConnectFailed or DeviceResultStatus.ConnectionLost)
        {
            Retry(c, attempts, $"Not delivered: {sent.Status} {sent.Detail}");
            return;
        }
        // Read back even when the meter refused: it may already be in the asked state (a repeated trip).
        var read = await link.ReadAsync(meter.Target, ct);
        if (read.Status == DeviceResultStatus.NotSent) return;
        if (read.IsOk && Matches(action.Value, read.Value!))
        {
            writer.Add(Update(c, CommandKinds.Confirmed, attempts, nowMs, null, null) with { ReadBack = read.Value });
            return;
        }
        var why = !sent.IsOk ? $"Meter refused: {sent.Status} {sent.Detail}"
            : read.IsOk ? $"Read-back shows {(read.Value!.SwitchOpen == true ? "open" : "closed")}{(read.Value.KeepPower is { } k ? $", keep-power {(k ? "on" : "off")}" : "")}"
            : $"Read-back failed: {read.Status} {read.Detail}";
        Retry(c, attempts, why);
    }

    static bool Matches(MeterAction action, MeterSnapshot s) =>
        action.ExpectedOpen() is { } open ? s.SwitchOpen == open
        : action.ExpectedKeepPower() is { } keep && s.KeepPower == keep;

    void Retry(DueCommand c, long attempts, string error)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (attempts >= MaxAttempts)
        {
            writer.Add(Update(c, CommandKinds.Failed, attempts, nowMs, null, $"{error} (after {attempts} attempts)"));
            return;
        }
        writer.Add(Update(c, CommandKinds.Sent, attempts, nowMs + (long)Backoff(attempts).TotalMilliseconds, $"Retrying (attempt {attempts} of {MaxAttempts}).", error));
    }

    /// <summary>5 s, 10 s, 20 s, 40 s …, at most 10 minutes: a meter that missed one frame is retried soon, a dead bus is not hammered.</summary>
    public static TimeSpan Backoff(long attempts) => TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, attempts - 1)));

    static CommandUpdate Update(DueCommand c, string state, long attempts, long nextMs, string? detail, string? error) =>
        new(c.Id, c.MeterId, c.Kind, c.BatchId, state, attempts, nextMs, detail, error, ExpectedState: c.State, Lease: c.Lease);
}
