using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>A meter's overload limit, and the alarm readings that carry power raise and clear.</summary>
public class OverloadTests
{
    [Fact]
    public async Task PowerAboveTheMetersLimit_RaisesAnOverloadAlarmOnce_AndPowerWithinItClearsIt()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-1");
        var tenant = await site.TenantAsync();
        await site.AccountAsync(tenant, [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00");
        object Reading(string at, string total, string? power) => new { meterId = meter, at, registers = new { total }, power };

        // No limit: power is stored, nothing is raised.
        await site.ReadingsAsync(Reading("2026-11-01T01:00:00+08:00", "1", "9.000"));
        Assert.Empty((await admin.GetOkAsync("/api/alarms?kind=overload")).EnumerateArray());

        var set = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/meters/{meter}/limits") { Content = JsonContent.Create(new { overloadLimit = "5.5" }) });
        Assert.Equal("5.500", (await set.ReadJsonAsync()).Str("overloadLimit"));
        Assert.Equal("5.500", (await admin.GetOkAsync($"/api/meters/{meter}")).Str("overloadLimit"));

        await site.ReadingsAsync(Reading("2026-11-01T02:00:00+08:00", "2", "6.250"), Reading("2026-11-01T01:30:00+08:00", "1.5", "4.000"));
        var alarms = (await admin.GetOkAsync("/api/alarms?kind=overload")).EnumerateArray().ToList();
        var alarm = Assert.Single(alarms); // the batch's newest power decides
        Assert.Equal(("E-1", true), (alarm.Str("serial"), alarm.GetProperty("open").GetBoolean()));
        Assert.Contains("6.250 kW", alarm.Str("detail"));
        await site.ReadingsAsync(Reading("2026-11-01T03:00:00+08:00", "3", "7.000"));
        Assert.Single((await admin.GetOkAsync("/api/alarms?kind=overload,calibrationDue&openOnly=true")).EnumerateArray());
        Assert.Equal("7.000", (await admin.GetOkAsync($"/api/meters/{meter}/readings")).EnumerateArray().First().Str("power"));

        await site.ReadingsAsync(Reading("2026-11-01T04:00:00+08:00", "4", "5.500"));
        Assert.Empty((await admin.GetOkAsync("/api/alarms?kind=overload&openOnly=true")).EnumerateArray());
        Assert.Single((await admin.GetOkAsync("/api/alarms?kind=overload")).EnumerateArray());

        // Removing the limit, and what is refused.
        var removed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/meters/{meter}/limits") { Content = JsonContent.Create(new { overloadLimit = (string?)null }) });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await removed.ReadJsonAsync()).GetProperty("overloadLimit").ValueKind);
        var bad = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/meters/{meter}/limits") { Content = JsonContent.Create(new { overloadLimit = "1.2345" }) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["overloadLimit"], (await bad.ReadJsonAsync()).ErrorFields());
        var badPower = await admin.PostAsJsonAsync("/api/readings", new[] { Reading("2026-11-01T05:00:00+08:00", "5", "-1") });
        Assert.Equal(["[0].power"], (await badPower.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/alarms?kind=over;load")).StatusCode);
    }
}
