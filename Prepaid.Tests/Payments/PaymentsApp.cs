using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Payments.Demo;
using Prepaid.Fakes.Payments;
using Prepaid.Api.Payments.Orders;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// The real API (as <see cref="PrepaidApp"/>: real SQLite file, fake clock) with both channels played by the fake
/// gateways, the jobs left to the test, and the demo page's notifications sent into this same test server.
/// </summary>
public sealed class PaymentsApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "test-admin-password";
    public const string TenantPassword = "tenant-pass-1";

    public FakeTimeProvider Time { get; } = new(PrepaidApp.Start);
    public string Folder { get; } = Directory.CreateTempSubdirectory("prepaid-pay-").FullName;
    public string DatabasePath => Path.Combine(Folder, "prepaid.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Prepaid", $"Data Source={DatabasePath}");
        builder.UseSetting("Prepaid:Database", "sqlite");
        builder.UseSetting("Prepaid:AdminPassword", AdminPassword);
        InProcessFakes.Plug(builder, Time);
        builder.UseSetting("Prepaid:Payments:ScheduleJobs", "false");
        builder.UseSetting("Prepaid:Payments:DemoNotifyBaseUrl", DemoNotifyBaseUrl);
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            s.AddHttpClient(DemoPayPage.NotifyClient).ConfigurePrimaryHttpMessageHandler(() => new Recording(Server.CreateHandler(), DemoNotifications));
        });
    }

    /// <summary>Where the demo page's notifications go: the test server answers them whatever the address says.</summary>
    public const string DemoNotifyBaseUrl = "http://prepaid.test:5000";

    /// <summary>Every address the demo page's fake gateways posted a notification to.</summary>
    public ConcurrentQueue<Uri> DemoNotifications { get; } = new();

    sealed class Recording(HttpMessageHandler inner, ConcurrentQueue<Uri> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            seen.Enqueue(request.RequestUri!);
            return base.SendAsync(request, ct);
        }
    }

    public FakeAlipayGateway Alipay => Services.GetRequiredService<FakeAlipayGateway>();
    public FakeWeChatPayGateway WeChat => Services.GetRequiredService<FakeWeChatPayGateway>();

    public async Task<PendingRun> RunPendingJobAsync()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PendingPayments>().RunAsync(CancellationToken.None);
    }

    public async Task<HttpClient> SignInAsync(string username, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
