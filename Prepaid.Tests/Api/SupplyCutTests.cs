using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R16: an account in arrears whose trip waits for the friendly cut-off window says when supply will be cut, in the
/// site's zone, so the tenant's page and the dashboard can show it.
/// </summary>
public class SupplyCutTests
{
    const string Opened = "2026-11-02T08:00:00+08:00";
    static readonly object Night = new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() };

    sealed record World(PrepaidApp App, HttpClient Admin, HttpClient Tenant, SiteBuilder Site, long Account, long Meter) : IDisposable
    {
        public void Dispose()
        {
            Tenant.Dispose();
            Admin.Dispose();
            App.Dispose();
        }
    }

    static async Task<World> WorldAsync(object? cutoff, bool keepOn = false)
    {
        var app = new PrepaidApp();
        // Evening, so the night comes within the tokens' 12 hours.
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(cutoff);
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-CUT-1");
        var tenant = await site.TenantAsync("Shop 7", "tenant-pass-7", "13800000077");
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100")], Opened, keepOn: keepOn)).Id();
        await site.TopUpAsync(account, "5.00", "cut-seed");
        return new World(app, admin, await app.SignInAsync("13800000077", "tenant-pass-7"), site, account, meter);
    }

    static async Task ArrearsAtAsync(World w, string at)
    {
        w.App.Time.SetUtcNow(DateTimeOffset.Parse(at));
        await w.Site.ReadingsAsync(new { meterId = w.Meter, at, registers = new { total = "110" } }); // 10 kWh at 1.00 from 5.00
    }

    [Fact]
    public async Task ArrearsAtNight_AccountSaysSupplyIsCutAtTheWindowsEnd_InTheSiteZone_R16()
    {
        using var w = await WorldAsync(Night);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await w.Tenant.GetOkAsync($"/api/accounts/{w.Account}")).GetProperty("supplyCutAt").ValueKind);

        await ArrearsAtAsync(w, "2026-11-02T23:00:00+08:00");
        var account = await w.Tenant.GetOkAsync($"/api/accounts/{w.Account}");
        Assert.Equal("arrears", account.Str("state"));
        Assert.Equal("2026-11-03T07:00:00.000+08:00", account.Str("supplyCutAt"));
        // The staff's list says the same, so the dashboard can show it.
        var listed = (await w.Admin.GetOkAsync("/api/accounts")).EnumerateArray().Single(a => a.Id() == w.Account);
        Assert.Equal("2026-11-03T07:00:00.000+08:00", listed.Str("supplyCutAt"));
    }

    [Fact]
    public async Task TopUpOutOfArrears_CancelsTheWaitingTrip_NoSupplyCutAt_R16()
    {
        using var w = await WorldAsync(Night);
        await ArrearsAtAsync(w, "2026-11-02T23:00:00+08:00");
        await w.Site.TopUpAsync(w.Account, "20.00", "cut-pay");
        var account = await w.Tenant.GetOkAsync($"/api/accounts/{w.Account}");
        Assert.Equal("15.00", account.Str("balance"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("supplyCutAt").ValueKind);
    }

    [Fact]
    public async Task KeepOnAccountInArrears_NoSupplyCutAt_R16()
    {
        using var w = await WorldAsync(Night, keepOn: true);
        await ArrearsAtAsync(w, "2026-11-02T23:00:00+08:00");
        var account = await w.Tenant.GetOkAsync($"/api/accounts/{w.Account}");
        Assert.Equal("arrears", account.Str("state"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("supplyCutAt").ValueKind);
    }

    [Fact]
    public async Task ArrearsOutsideAnyWindow_SupplyCutAtIsTheMomentOfArrears_R16()
    {
        using var w = await WorldAsync(null);
        await ArrearsAtAsync(w, "2026-11-02T21:00:00+08:00");
        Assert.Equal("2026-11-02T21:00:00.000+08:00", (await w.Tenant.GetOkAsync($"/api/accounts/{w.Account}")).Str("supplyCutAt"));
    }
}
