using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Devices;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.Support;

/// <summary>
/// The real API (PrepaidApp: SQLite file, fake clock) with the device layer's background loops off, so a test drives
/// the poller and the dispatcher step by step while meters are real simulators on loopback TCP.
/// </summary>
public sealed class DeviceApp : IAsyncDisposable
{
    public PrepaidApp App { get; } = new();
    public WebApplicationFactory<Program> Host { get; }

    /// <param name="background">True runs the Quartz poller and the dispatcher loop as in production.</param>
    public DeviceApp(Action<IServiceCollection>? services = null, bool background = false)
    {
        Host = App.WithWebHostBuilder(b =>
        {
            b.UseSetting("Prepaid:Devices:Background", background ? "true" : "false");
            if (services is not null) b.ConfigureServices(services);
        });
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => App.Time;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public BusPoller Poller => Get<BusPoller>();

    public CommandDispatcher Dispatcher => Get<CommandDispatcher>();

    public async Task<HttpClient> AdminAsync()
    {
        var client = Host.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = PrepaidApp.AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A gateway with one bus on the given loopback port; returns the bus id.</summary>
    public static async Task<long> BusAsync(HttpClient client, long siteId, string protocol, int port, string name = "gw", int timeoutMs = 500, int offlineAfter = 3)
    {
        var gateway = await client.PostOkAsync("/api/gateways", new { siteId, name, protocol, host = "127.0.0.1", port, timeoutMs });
        var bus = await client.PostOkAsync($"/api/gateways/{gateway.Id()}/buses", new { name = "bus-1", pollIntervalSeconds = 60, offlineAfter });
        return bus.Id();
    }

    public static async Task ConnectAsync(HttpClient client, long meterId, long busId, string address, string profile)
    {
        var response = await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address, profile });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        App.Dispose();
    }
}
