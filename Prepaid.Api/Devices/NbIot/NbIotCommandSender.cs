using System.Text.Json;
using Dapper;
using Prepaid.Api.Cluster;
using Prepaid.Api.Data;
using Prepaid.Devices.Metering;
using Prepaid.Devices.NbIot;

namespace Prepaid.Api.Devices.NbIot;

/// <summary>
/// Hands an NB-IoT meter's command to its platform as a cached command with the command's remaining lifetime as
/// expiry. The command then shows as sent, "waiting for the meter's next report", until the platform pushes its
/// status and the meter's next report reads back the asked state.
/// </summary>
public sealed class NbIotCommandSender(Db db, IHttpClientFactory httpFactory, CommandStateWriter writer, IotdaTokens tokens, TimeProvider time)
{
    public const string Waiting = "Waiting for the meter's next report.";

    public async Task SendAsync(long commandId, long meterId, string kind, long? batchId, long attempts, long expiresAtMs, ConnectedMeter meter,
        MeterAction action, CancellationToken ct, string? expectedState = null, LeaseClaim? lease = null)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        (string Protocol, string? Host, string? SettingsJson) gateway;
        await using (var connection = await db.OpenAsync(ct))
            gateway = await connection.QuerySingleAsync<(string, string?, string?)>(
                "SELECT protocol, host, settings_json FROM gateways WHERE id = @GatewayId", new { meter.GatewayId });
        var platform = gateway.Protocol == "ctwing" ? NbIotPlatform.Ctwing : NbIotPlatform.Iotda;
        var settings = gateway.SettingsJson is null ? new NbIotSettings(null, null, null, null, null)
            : JsonSerializer.Deserialize<NbIotSettings>(gateway.SettingsJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var client = new NbIotPlatformClient(httpFactory.CreateClient("nbiot"), time, tokens);
        NbIotCreated? created = null;
        string? error = null;
        try
        {
            created = await client.CreateAsync(platform, gateway.Host ?? "", settings, meter.Address, action,
                TimeSpan.FromMilliseconds(Math.Max(60_000, expiresAtMs - nowMs)), ct);
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // HttpClient's timeout, not our caller giving up: a platform that hangs is a failed attempt like one that is down.
            error = "No answer in time (timeout).";
        }
        catch (JsonException e)
        {
            error = $"Unreadable answer: {e.Message}";
        }
        attempts++;
        if (created is null)
        {
            var failed = attempts >= CommandDispatcher.MaxAttempts;
            writer.Add(new CommandUpdate(commandId, meterId, kind, batchId, failed ? CommandKinds.Failed : CommandKinds.Sent, attempts,
                nowMs + (long)CommandDispatcher.Backoff(attempts).TotalMilliseconds, null, $"The platform did not take the command: {error ?? "no command id"}",
                ExpectedState: expectedState, Lease: lease));
            return;
        }
        // Nothing more to do until the platform or the meter reports: park the command until its expiry.
        writer.Add(new CommandUpdate(commandId, meterId, kind, batchId, CommandKinds.Sent, attempts, expiresAtMs, Waiting, null,
            PlatformCommandId: created.PlatformCommandId, ExpectedState: expectedState, Lease: lease));
    }
}
