using System.Net.Http.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prepaid.Api.Data;

namespace Prepaid.Api.Demo;

/// <summary>
/// The demo's NB-IoT water meters (shops 19–20) live in the fake IoTDA platform (the fakes process, <see cref="DemoPlatforms"/>):
/// once the platform listens, this registers them there with our callback URL. Every 15 s each "wakes", reports through
/// the fake platform to our callback endpoint over HTTP and takes whatever commands the platform cached for it meanwhile —
/// so the dashboard shows a valve command "waiting for the meter's next report" and then confirmed.
/// </summary>
public sealed class DemoNbIotMeters(DemoSimulator simulator, Db db, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration,
    ILogger<DemoNbIotMeters> log) : BackgroundService
{
    const int IntervalSeconds = 15;

    /// <summary>3 m³/h, the same flow as the wired water meters.</summary>
    const long LitresPerInterval = 3000 * IntervalSeconds / 3600;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || configuration[DemoPlatforms.UrlKey] is not { } fakes) return;
        (long Id, string? Settings) gateway;
        await using (var connection = await db.OpenAsync(stoppingToken))
            gateway = await connection.QuerySingleAsync<(long, string?)>("SELECT id, settings_json FROM gateways WHERE name = @name", new { name = DemoSimulator.NbIotGateway });
        var token = System.Text.Json.JsonDocument.Parse(gateway.Settings ?? "{}").RootElement.GetProperty("callbackToken").GetString();
        var local = address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("+", "127.0.0.1", StringComparison.Ordinal).Replace("*", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        var meters = new[] { 19, 20 }.Select(i => new
        {
            deviceId = DemoSimulator.Address(i), water = true, totalMilli = simulator.LastTotals.GetValueOrDefault($"W{i:000}"),
        }).ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var answer = await http.PostAsJsonAsync(new Uri(new Uri(fakes), "/nbiot/demo/meters"), new
            {
                callbackUrl = $"{local}/api/nbiot/{gateway.Id}/iotda?token={token}",
                wakeEverySeconds = IntervalSeconds,
                consumedMilliPerWake = LitresPerInterval,
                meters,
            }, stoppingToken);
            answer.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException e)
        {
            log.LogWarning(e, "The demo's NB-IoT meters could not be registered with the fake platform at {Url}.", fakes);
        }
    }
}
