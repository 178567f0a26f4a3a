using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Building;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Building;

public class LeakAlarmTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 3, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact] // R33: a leak that starts raises one alarm over 30 hours of flow, with one leakStarted for the tenant's account, and an hour without flow clears it
    public async Task Leak_StartsRaisesOneAlarmOver30Hours_Clears_R33()
    {
        using var app = new PrepaidApp { Settings = { ["Prepaid:Devices:Background"] = "false" } };
        app.Time.SetUtcNow(T0);
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        // A session lasts 12 hours: sign in again as the clock runs through the day and a half.
        async Task RefreshAsync()
        {
            admin = await app.AdminAsync();
            site = new SiteBuilder(admin) { SiteId = site.SiteId };
        }
        var tariff = await site.FlatTariffAsync("3.5000", "water");
        var meter = await site.MeterAsync("W-101", "water");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "10.000")], T0.ToString("o"))).Id();
        await site.TopUpAsync(account, "500.00", "leak-topup");
        var checks = app.Services.GetRequiredService<BuildingChecks>();

        async Task<JsonElement[]> Leaks() => [.. (await admin.GetOkAsync($"/api/device-alarms?meterId={meter}")).EnumerateArray().Where(a => a.Str("kind") == "leak")];
        async Task<JsonElement[]> Outbox(string kind) => [.. (await admin.GetOkAsync($"/api/outbox?kind={kind}")).EnumerateArray()];

        // 30 hours of 0.025 m³ an hour (a dripping cistern: 0.600 m³ a day), read every 20 minutes, checked every 20 minutes.
        var total = 10.000m;
        var raisedAt = (DateTimeOffset?)null;
        for (var step = 1; step <= 90; step++)
        {
            var now = T0.AddMinutes(20 * step);
            app.Time.SetUtcNow(now);
            if (step % 30 == 0) await RefreshAsync();
            total += 0.025m / 3;
            await site.ReadingsAsync(new { serial = "W-101", at = now.ToString("o"), registers = new { total = decimal.Round(total, 3).ToString(CultureInfo.InvariantCulture) } });
            await checks.LeaksAsync(now);
            if (raisedAt is null && (await Leaks()).Length > 0) raisedAt = now;
        }
        Assert.Equal(T0.AddHours(24), raisedAt); // the first check after the 24th whole hour of flow
        var alarm = Assert.Single(await Leaks());
        Assert.Equal(JsonValueKind.Null, alarm.GetProperty("clearedAt").ValueKind);
        var started = Assert.Single(await Outbox("leakStarted"));
        Assert.Equal(account, started.GetProperty("accountId").GetInt64());
        Assert.Equal(meter, started.GetProperty("meterId").GetInt64());
        Assert.Equal("W-101", started.GetProperty("payload").Str("serial"));
        Assert.Empty(await Outbox("leakCleared"));

        // The flow stops after 30 hours: the check right after that quiet whole hour (30 h to 31 h) clears the alarm.
        for (var step = 91; step <= 96; step++)
        {
            var now = T0.AddMinutes(20 * step);
            app.Time.SetUtcNow(now);
            await site.ReadingsAsync(new { serial = "W-101", at = now.ToString("o"), registers = new { total = decimal.Round(total, 3).ToString(CultureInfo.InvariantCulture) } });
            await checks.LeaksAsync(now);
        }
        var cleared = Assert.Single(await Leaks());
        Assert.Equal(T0.AddHours(31), DateTimeOffset.Parse(cleared.Str("clearedAt")));
        Assert.Single(await Outbox("leakCleared"));
        Assert.Single(await Outbox("leakStarted"));
    }

    [Fact] // R33: an electricity meter that draws all day is no leak; only water meters are judged
    public async Task ElectricityMeter_NeverALeak_R33()
    {
        using var app = new PrepaidApp { Settings = { ["Prepaid:Devices:Background"] = "false" } };
        app.Time.SetUtcNow(T0);
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        await site.MeterAsync("E-1");
        await site.ReadingsAsync([.. Enumerable.Range(0, 27).Select(h => (object)new { serial = "E-1", at = T0.AddHours(h).ToString("o"), registers = new { total = $"{h}" } })]);
        await app.Services.GetRequiredService<BuildingChecks>().LeaksAsync(T0.AddHours(26.5));
        Assert.Empty((await admin.GetOkAsync("/api/device-alarms")).EnumerateArray());
    }
}
