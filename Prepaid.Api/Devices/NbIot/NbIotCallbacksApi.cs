using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Devices.Metering;
using Prepaid.Devices.NbIot;
using Prepaid.Devices.Transport;

namespace Prepaid.Api.Devices.NbIot;

/// <summary>
/// The platforms push here: data reports become readings (and confirm a waiting command when they show its state),
/// command-status pushes move commands. Platforms cannot sign in, so each gateway's URL carries a token from its
/// settings (<c>callbackToken</c>). A push is always answered 200 once authenticated: the platforms retry anything
/// else and stop pushing after repeated failures (§5.2), and a push we cannot use will not improve by retrying.
/// </summary>
public static class NbIotCallbacksApi
{
    public static void MapNbIotCallbacks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/nbiot").WithTags("Devices").AllowAnonymous();
        group.MapPost("/{gatewayId:long}/iotda", (long gatewayId, string? token, HttpRequest request, NbIotInbox inbox, CancellationToken ct) =>
            inbox.ReceiveAsync(gatewayId, token, request, NbIotPlatform.Iotda, ct)).DescribesBody<JsonElement>("application/json");
        group.MapPost("/{gatewayId:long}/ctwing", (long gatewayId, string? token, HttpRequest request, NbIotInbox inbox, CancellationToken ct) =>
            inbox.ReceiveAsync(gatewayId, token, request, NbIotPlatform.Ctwing, ct)).DescribesBody<JsonElement>("application/json");
    }
}

/// <summary>Applies platform pushes to readings, meter status and commands.</summary>
public sealed class NbIotInbox(Db db, ReadingIngestor ingestor, MeterStatusWriter status, CommandStateWriter writer, TimeProvider time, ILogger<NbIotInbox> log)
{
    /// <summary>Compared in constant time over equal-length digests, so neither the answer's timing nor its length tells how much of a guess was right.</summary>
    static bool SameToken(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public async Task<IResult> ReceiveAsync(long gatewayId, string? token, HttpRequest request, NbIotPlatform platform, CancellationToken ct)
    {
        string? settings;
        await using (var connection = await db.OpenAsync(ct))
            settings = await connection.QuerySingleOrDefaultAsync<string?>("SELECT settings_json FROM gateways WHERE id = @gatewayId AND protocol = @p",
                new { gatewayId, p = platform == NbIotPlatform.Iotda ? "iotda" : "ctwing" });
        var expected = settings is null ? null
            : JsonDocument.Parse(settings).RootElement.TryGetProperty("callbackToken", out var t) ? t.GetString() : null;
        if (expected is null || !SameToken(token, expected)) return Results.Unauthorized();
        var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
        try
        {
            var parsed = platform == NbIotPlatform.Iotda ? NbIotPayloads.ParseIotda(body) : NbIotPayloads.ParseCtwing(body);
            if (parsed.Report is { Snapshot: { } } report) await ReportAsync(gatewayId, report, ct);
            if (parsed.Status is { } s) await StatusAsync(s, ct);
            if (parsed.Ignored is { } why) log.LogInformation("NB-IoT push ignored: {Reason}", why);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "NB-IoT push from gateway {GatewayId} could not be applied.", gatewayId);
        }
        return Results.Ok();
    }

    async Task ReportAsync(long gatewayId, NbIotReport report, CancellationToken ct)
    {
        ConnectedMeter? meter;
        List<(long Id, string Kind, long? BatchId, long Attempts)> waiting;
        await using (var connection = await db.OpenAsync(ct))
        {
            meter = await connection.QuerySingleOrDefaultAsync<ConnectedMeter>("""
                SELECT c.meter_id, c.bus_id, c.gateway_id, c.address, c.profile, m.resolution FROM meter_connections c JOIN meters m ON m.id = c.meter_id
                WHERE c.gateway_id = @gatewayId AND c.address = @DeviceId
                """, new { gatewayId, report.DeviceId });
            if (meter is null) return;
            waiting = (await connection.QueryAsync<(long, string, long?, long)>(
                "SELECT id, kind, batch_id, attempts FROM device_commands WHERE meter_id = @MeterId AND state = 'sent' ORDER BY id", new { meter.MeterId })).ToList();
        }
        var snapshot = report.Snapshot!;
        var now = time.GetUtcNow();
        await status.RecordAsync([new PollOutcome(meter, DeviceResult<MeterSnapshot>.Ok(snapshot))], offlineAfter: 1, ct);
        // The platform's event time is the meter's; our clock decides if it is missing or from the future.
        var at = report.At is { } a && a <= now ? a : now;
        await ingestor.IngestAsync([new ReadingInput(meter.MeterId, at, BusPoller.ToRegisters(meter, snapshot), PowerW: snapshot.PowerW)], ct);
        foreach (var c in waiting)
        {
            var (action, _) = CommandKinds.Plan(c.Kind, meter.Target.Profile);
            if (action?.ExpectedOpen() is { } open && snapshot.SwitchOpen == open)
                writer.Add(new CommandUpdate(c.Id, meter.MeterId, c.Kind, c.BatchId, CommandKinds.Confirmed, c.Attempts, now.ToUnixTimeMilliseconds(),
                    "Confirmed by the meter's report.", null, snapshot));
        }
        await writer.FlushAsync(ct);
    }

    async Task StatusAsync(NbIotCommandStatus s, CancellationToken ct)
    {
        (long Id, long MeterId, string Kind, long? BatchId, long Attempts, long NextAttemptAtMs, string State)? c;
        await using (var connection = await db.OpenAsync(ct))
            c = await connection.QuerySingleOrDefaultAsync<(long, long, string, long?, long, long, string)?>(
                "SELECT id, meter_id, kind, batch_id, attempts, next_attempt_at_ms, state FROM device_commands WHERE platform_command_id = @PlatformCommandId",
                new { s.PlatformCommandId });
        if (c is not { } cmd || cmd.State != CommandKinds.Sent) return;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var update = s.Outcome switch
        {
            NbIotCommandOutcome.Failed => new CommandUpdate(cmd.Id, cmd.MeterId, cmd.Kind, cmd.BatchId, CommandKinds.Failed, cmd.Attempts, nowMs, null,
                $"The platform reports {s.PlatformStatus}{(s.Detail is null ? "" : ": " + s.Detail)}"),
            NbIotCommandOutcome.Expired => new CommandUpdate(cmd.Id, cmd.MeterId, cmd.Kind, cmd.BatchId, CommandKinds.Expired, cmd.Attempts, nowMs, null,
                $"The platform reports {s.PlatformStatus}: the meter did not wake in time."),
            NbIotCommandOutcome.Delivered => new CommandUpdate(cmd.Id, cmd.MeterId, cmd.Kind, cmd.BatchId, CommandKinds.Sent, cmd.Attempts, cmd.NextAttemptAtMs,
                $"Delivered ({s.PlatformStatus}); waiting for the meter's report to confirm.", null),
            _ => new CommandUpdate(cmd.Id, cmd.MeterId, cmd.Kind, cmd.BatchId, CommandKinds.Sent, cmd.Attempts, cmd.NextAttemptAtMs, NbIotCommandSender.Waiting, null),
        };
        writer.Add(update);
        await writer.FlushAsync(ct);
    }
}
