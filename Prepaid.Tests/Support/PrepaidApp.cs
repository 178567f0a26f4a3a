using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Prepaid.Tests.Support;

/// <summary>
/// The real API over a real SQLite file in a temporary folder (or SQL Server when asked), with a fake clock.
/// Each test creates its own, so tests never share data.
/// </summary>
public sealed class PrepaidApp : WebApplicationFactory<Program>
{
    public const string AdminPassword = "test-admin-password";
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.FromHours(8)); // a Monday, 08:00 in Shanghai

    public FakeTimeProvider Time { get; }
    public string Folder { get; } = Directory.CreateTempSubdirectory("prepaid-test-").FullName;
    public string DatabasePath => Path.Combine(Folder, "prepaid.db");
    readonly string provider;
    readonly string connectionString;

    /// <summary>More settings for this host (e.g. <see cref="InProcessFakes.Switch"/>), applied after the ones above.</summary>
    public Dictionary<string, string> Settings { get; } = new();

    public PrepaidApp(string provider = "sqlite", string? connectionString = null, DateTimeOffset? start = null)
    {
        Time = new FakeTimeProvider(start ?? Start);
        this.provider = provider;
        this.connectionString = connectionString ?? $"Data Source={DatabasePath}";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Prepaid", connectionString);
        builder.UseSetting("Prepaid:Database", provider);
        builder.UseSetting("Prepaid:AdminPassword", AdminPassword);
        // Tests run the notification dispatcher themselves, at the instants they choose.
        builder.UseSetting("Prepaid:Notifications:IntervalSeconds", "0");
        // R30's daily pass and the calibration pass would act on whatever day a test's fake clock reaches: tests run them with their own now.
        builder.UseSetting("Prepaid:Quality:Jobs", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (Settings.GetValueOrDefault(InProcessFakes.Switch) == "true") InProcessFakes.Plug(builder, Time);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>A client signed in as admin.</summary>
    public async Task<HttpClient> AdminAsync() => await SignInAsync("admin", AdminPassword);

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
