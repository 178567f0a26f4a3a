using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prepaid.Api.Data;
using Prepaid.Api.Devices.NbIot.Fakes;
using Prepaid.Devices.NbIot;

namespace Prepaid.Api.Demo;

/// <summary>
/// The demo's NB-IoT water meters (shops 19–20): every 15 s they "wake", report through the fake IoTDA platform to
/// our own callback endpoint over HTTP, and take whatever commands the platform cached for them meanwhile — so the
/// dashboard shows a valve command "waiting for the meter's next report" and then confirmed.
/// </summary>
public sealed class DemoNbIotMeters(FakeNbIotPlatform platform, DemoSimulator simulator, Db db, IServer server, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<DemoNbIotMeters> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>3 m³/h, the same flow as the wired water meters.</summary>
    const long LitresPerInterval = 3000 * 15 / 3600;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return;
        (long Id, string? Settings) gateway;
        await using (var connection = await db.OpenAsync(stoppingToken))
            gateway = await connection.QuerySingleAsync<(long, string?)>("SELECT id, settings_json FROM gateways WHERE name = @name", new { name = DemoSimulator.NbIotGateway });
        var token = System.Text.Json.JsonDocument.Parse(gateway.Settings ?? "{}").RootElement.GetProperty("callbackToken").GetString();
        var local = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("+", "127.0.0.1", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = local };
        platform.PushTo(NbIotPlatform.Iotda, http, $"/api/nbiot/{gateway.Id}/iotda?token={token}");
        var devices = new[] { 19, 20 }.Select(i => (Id: DemoSimulator.Address(i), Serial: $"W{i:000}")).ToList();
        foreach (var d in devices) platform.Add(d.Id, NbIotPlatform.Iotda, water: true).TotalMilli = simulator.LastTotals.GetValueOrDefault(d.Serial);

        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var d in devices)
            {
                try
                {
                    await platform.WakeAsync(d.Id, LitresPerInterval);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    log.LogWarning(e, "Demo NB-IoT meter {Device} could not report.", d.Id);
                }
            }
        }
    }
}
