using Dapper;
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
/// </summary>
public sealed class CommandDispatcher(Db db, CommandQueue queue, BusLinks links, CommandStateWriter writer, NbIotCommandSender nbIot,
    TimeProvider time, ILogger<CommandDispatcher> log)
{
    public const int MaxAttempts = 5;

    /// <summary>How long a DL/T 645 meter may still act on a command: a frame stuck in a DTU must not trip a meter later.</summary>
    static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(10);

    readonly SemaphoreSlim running = new(1, 1);

    sealed record DueCommand(long Id, long MeterId, string Kind, string State, long Attempts, long ExpiresAtMs, long? BatchId, string? PlatformCommandId,
        string? PayloadJson);

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
                due = (await connection.QueryAsync<DueCommand>("""
                    SELECT id, meter_id, kind, state, attempts, expires_at_ms, batch_id, platform_command_id, payload_json FROM device_commands
                    WHERE state IN ('requested', 'sent') AND next_attempt_at_ms <= @nowMs ORDER BY id
                    """, new { nowMs })).ToList();
                if (due.Count == 0) return 0;
                meters = await DeviceDirectory.MetersAsync(connection, db.Dialect, due.Select(d => d.MeterId));
                buses = (await DeviceDirectory.BusesAsync(connection)).ToDictionary(b => b.BusId);
            }
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
        if (meter.BusId is null)
        {
            await nbIot.SendAsync(c.Id, c.MeterId, c.Kind, c.BatchId, c.Attempts, c.ExpiresAtMs, meter, action.Value, ct);
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
                var pushed = await link.PushParameterAsync(meter.Target, parameter, ct);
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
        if (!sent.IsOk && sent.Status is DeviceResultStatus.Timeout or DeviceResultStatus.ConnectFailed or DeviceResultStatus.ConnectionLost)
        {
            Retry(c, attempts, $"Not delivered: {sent.Status} {sent.Detail}");
            return;
        }
        // Read back even when the meter refused: it may already be in the asked state (a repeated trip).
        var read = await link.ReadAsync(meter.Target, ct);
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
        new(c.Id, c.MeterId, c.Kind, c.BatchId, state, attempts, nextMs, detail, error);
}
