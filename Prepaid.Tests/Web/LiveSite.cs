using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The real platform on Kestrel at 127.0.0.1 on a free port, over a temporary SQLite file, with a small mall:
/// a flat and a time-of-use tariff, shops E-1 and E-2 for tenant 1 (E-2 nearly empty), E-3 for tenant 2, E-4 not opened.
/// </summary>
public sealed class LiveSite : IAsyncDisposable
{
    public const string TenantPassword = "tenant-pass-1";
    public PrepaidApp App { get; } = new();
    public string Url { get; private set; } = "";
    public HttpClient Admin { get; private set; } = null!;
    public SiteBuilder Site { get; private set; } = null!;
    public long E1, E2, E3, E4, Account1, Account2, Account3, Tenant1, Tenant2, FlatTariff;

    /// <param name="friendlyCutoff">The site's friendly cut-off window (R16), e.g. <c>new { nightFrom = "22:00", nightTo = "07:00" }</c>.</param>
    /// <param name="now">The fake clock's start, before anyone signs in (tokens last 12 hours).</param>
    /// <param name="settings">More host settings, e.g. <see cref="InProcessFakes.Switch"/>.</param>
    public static async Task<LiveSite> StartAsync(object? friendlyCutoff = null, DateTimeOffset? now = null, IDictionary<string, string>? settings = null)
    {
        var s = new LiveSite();
        if (now is { } at) s.App.Time.SetUtcNow(at);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) s.App.Settings[key] = value;
        s.App.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        s.App.StartServer();
        s.Url = s.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        s.Admin = await s.SignInAsync("admin", PrepaidApp.AdminPassword);
        await s.SeedAsync(friendlyCutoff);
        return s;
    }

    public async Task<HttpClient> SignInAsync(string username, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    async Task SeedAsync(object? friendlyCutoff)
    {
        Site = await new SiteBuilder(Admin).SiteAsync(friendlyCutoff);
        var flat = await Site.FlatTariffAsync();
        await Admin.PostOkAsync("/api/tariffs", new
        {
            siteId = Site.SiteId, name = "商铺分时 TOU", utility = "electricity", catalogPrice = (string?)null,
            versions = new[]
            {
                new
                {
                    effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "tou",
                    prices = new { sharp = "1.2000", peak = "1.0000", flat = "0.7000", valley = "0.3500" },
                    segments = new[]
                    {
                        new { from = "00:00", to = "08:00", period = "valley" }, new { from = "08:00", to = "11:00", period = "peak" },
                        new { from = "11:00", to = "13:00", period = "sharp" }, new { from = "13:00", to = "18:00", period = "peak" },
                        new { from = "18:00", to = "00:00", period = "flat" },
                    },
                },
            },
        });
        E1 = await Site.MeterAsync("E-1");
        E2 = await Site.MeterAsync("E-2");
        E3 = await Site.MeterAsync("E-3");
        E4 = await Site.MeterAsync("E-4");
        Tenant1 = await Site.TenantAsync("面馆 Noodle shop", TenantPassword, "13800000001");
        Tenant2 = await Site.TenantAsync("Tea house 茶馆", TenantPassword, "13800000002");
        // Opened a minute before the meters' first report, so they are online: the opening reading is the operator's, not the meter's.
        const string opened = "2026-11-02T07:59:00+08:00", at = "2026-11-02T08:00:00+08:00";
        Account1 = (await Site.AccountAsync(Tenant1, [(E1, flat, "100")], opened)).Id();
        Account2 = (await Site.AccountAsync(Tenant1, [(E2, flat, "200")], opened)).Id();
        Account3 = (await Site.AccountAsync(Tenant2, [(E3, flat, "300")], opened)).Id();
        FlatTariff = flat;
        await Site.TopUpAsync(Account1, "50.00", "seed-1");
        await Site.TopUpAsync(Account2, "15.00", "seed-2"); // below alarm 1 (20.00): the tenant sees the low-balance banner
        await Site.TopUpAsync(Account3, "80.00", "seed-3");
        await Site.ReadingsAsync(
            new { meterId = E1, at, registers = new { total = "100" } },
            new { meterId = E2, at, registers = new { total = "200" } },
            new { meterId = E3, at, registers = new { total = "300" } });
    }

    /// <summary>Moves the fake clock on and posts one reading, the way a gateway would.</summary>
    public async Task ReadingAsync(long meterId, string at, string total)
    {
        App.Time.SetUtcNow(DateTimeOffset.Parse(at).AddMinutes(1));
        await Site.ReadingsAsync(new { meterId, at, registers = new { total } });
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }
}
