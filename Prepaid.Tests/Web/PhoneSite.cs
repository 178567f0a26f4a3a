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
/// The real platform on Kestrel (127.0.0.1, a free port) with the demo's payment channels (the fake gateways and their
/// confirm page), for the tenant's phone page. A mall with a friendly cut-off night (22:00–07:00): tenant 1 has a shop
/// on a time-of-use tariff (E-1, 50.00 with 5-second readings through the day) and a kiosk nearly empty (E-2), which a
/// reading at 23:00 puts in arrears, so its trip waits for 07:00; tenant 2 has E-3. The fake clock stands at 23:05.
/// </summary>
public sealed class PhoneSite : IAsyncDisposable
{
    public const string Phone = "13800000001";
    public const string Password = "tenant-pass-1";
    public PrepaidApp App { get; } = new();
    public string Url { get; private set; } = "";
    public HttpClient Admin { get; private set; } = null!;
    public SiteBuilder Site { get; private set; } = null!;
    public long E1, E2, E3, Shop, Kiosk, Other;

    public static async Task<PhoneSite> StartAsync()
    {
        var s = new PhoneSite();
        s.App.Settings[InProcessFakes.Switch] = "true";
        s.App.Settings["Prepaid:Payments:ScheduleJobs"] = "false";
        s.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        s.App.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        s.App.StartServer();
        s.Url = s.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        s.Admin = new HttpClient { BaseAddress = new Uri(s.Url) };
        var response = await s.Admin.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = PrepaidApp.AdminPassword });
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        s.Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await s.SeedAsync();
        return s;
    }

    async Task SeedAsync()
    {
        Site = await new SiteBuilder(Admin).SiteAsync(new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() },
            name: "演示商场 Demo Mall");
        var flat = await Site.FlatTariffAsync();
        var tou = (await Admin.PostOkAsync("/api/tariffs", new
        {
            siteId = Site.SiteId, name = "商铺分时 TOU", utility = "electricity",
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
        })).Id();
        E1 = await Site.MeterAsync("E-1");
        E2 = await Site.MeterAsync("E-2");
        E3 = await Site.MeterAsync("E-3");
        var tenant = await Site.TenantAsync("面馆 Noodle shop", Password, Phone);
        var other = await Site.TenantAsync("Tea house 茶馆", Password, "13800000002");
        const string at = "2026-11-02T08:00:00+08:00";
        Shop = (await Site.AccountAsync(tenant, [(E1, tou, "100")], at)).Id();
        Kiosk = (await Site.AccountAsync(tenant, [(E2, flat, "200")], at)).Id();
        Other = (await Site.AccountAsync(other, [(E3, flat, "300")], at)).Id();
        await Site.TopUpAsync(Shop, "52.00", "seed-1");
        await Site.TopUpAsync(Kiosk, "3.00", "seed-2");
        await Site.TopUpAsync(Other, "80.00", "seed-3");
        // 24 readings 5 s apart at 09:00 (0.01 kWh each, peak), then one at 12:00 (sharp and peak): 2.00 in all.
        var start = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
        await Site.ReadingsAsync(Enumerable.Range(1, 24)
            .Select(i => (object)new { meterId = E1, at = start.AddSeconds(5 * i).ToString("O"), registers = new { total = (100m + i / 100m).ToString("0.00") } })
            .Append(new { meterId = E1, at = "2026-11-02T12:00:00+08:00", registers = new { total = "101.76" } })
            .ToArray());
        // The kiosk runs dry at night: arrears, and its trip waits for the window's end at 07:00.
        App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:05:00+08:00"));
        await Site.ReadingsAsync(new { meterId = E2, at = "2026-11-02T23:00:00+08:00", registers = new { total = "205" } });
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }
}
