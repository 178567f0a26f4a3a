using System.Net.Http.Json;
using Prepaid.Api.Devices.NbIot;
using Prepaid.Devices.NbIot;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.NbIot;

/// <summary>Issue 11, fix 5: an NB-IoT meter that misses its expected report windows (reporting period × N) turns offline
/// with an alarm, as a bus meter that misses its polls does, and comes back by itself with its next report; commands
/// waiting for it say how long they have waited and how long they have left.</summary>
public class NbIotPresenceTests
{
    [Fact]
    public async Task MissedReportWindows_TurnTheMeterOffline_WithAnAlarm_AndItsNextReportBringsItBack()
    {
        await using var rig = await NbIotPlatformTests.RigAsync(NbIotPlatform.Iotda, water: true, reportPeriodMinutes: 60, offlineAfterReports: 3);
        var ct = TestContext.Current.CancellationToken;
        var presence = rig.App.Get<NbIotPresenceCheck>();
        var client = rig.Client;

        rig.App.Time.Advance(TimeSpan.FromMinutes(30));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 500);
        var id = (await client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "valveClose" })).GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(ct);

        // Three hourly windows after the last report are allowed: at 2 h 59 min the meter is still online.
        rig.App.Time.Advance(TimeSpan.FromMinutes(179));
        Assert.Equal(0, await presence.RunOnceAsync(rig.App.Time.GetUtcNow(), ct));
        client = await rig.App.AdminAsync();
        Assert.True((await client.GetOkAsync($"/api/meters/{rig.MeterId}/device-status")).GetProperty("online").GetBoolean());

        rig.App.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await presence.RunOnceAsync(rig.App.Time.GetUtcNow(), ct));
        Assert.Equal(0, await presence.RunOnceAsync(rig.App.Time.GetUtcNow(), ct));           // raised once, not every minute
        Assert.False((await client.GetOkAsync($"/api/meters/{rig.MeterId}/device-status")).GetProperty("online").GetBoolean());
        var alarm = (await client.GetOkAsync($"/api/device-alarms?meterId={rig.MeterId}&openOnly=true")).EnumerateArray().Single();
        Assert.Equal("offline", alarm.Str("kind"));
        Assert.Contains("3 report windows of 1 h missed", alarm.Str("detail"));
        var row = (await client.GetOkAsync("/api/dashboard/meters")).EnumerateArray().Single(r => r.GetProperty("meterId").GetInt64() == rig.MeterId);
        Assert.False(row.GetProperty("online").GetBoolean());

        // The cached valve command waits: 3 h 1 min since it was asked for, 24 h − that left.
        var waiting = await client.GetOkAsync($"/api/commands/{id}");
        Assert.Equal("sent", waiting.Str("state"));
        Assert.Equal(181 * 60, waiting.GetProperty("waitedSeconds").GetInt64());
        Assert.Equal((24 * 60 - 181) * 60, waiting.GetProperty("expiresInSeconds").GetInt64());

        await rig.Platform.WakeAsync("dev-1", consumedMilli: 0);
        Assert.True((await client.GetOkAsync($"/api/meters/{rig.MeterId}/device-status")).GetProperty("online").GetBoolean());
        Assert.Empty((await client.GetOkAsync($"/api/device-alarms?meterId={rig.MeterId}&openOnly=true")).EnumerateArray());
        var done = await client.GetOkAsync($"/api/commands/{id}");
        Assert.Equal("confirmed", done.Str("state"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, done.GetProperty("waitedSeconds").ValueKind);
    }

    [Fact]
    public async Task AMeterThatNeverReported_CountsFromItsConnection_AndTheProfilesPeriodIsTheDefault()
    {
        await using var rig = await NbIotPlatformTests.RigAsync(NbIotPlatform.Ctwing, water: false);
        var ct = TestContext.Current.CancellationToken;
        var presence = rig.App.Get<NbIotPresenceCheck>();
        var connection = await rig.Client.PutAsJsonAsync($"/api/meters/{rig.MeterId}/connection", new { gatewayId = rig.GatewayId, address = "dev-1", profile = "nbiot-electric" });
        var shown = System.Text.Json.JsonDocument.Parse(await connection.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(24 * 60, shown.GetProperty("reportPeriodMinutes").GetInt64());              // nbiot-electric reports daily
        Assert.Equal(3, shown.GetProperty("offlineAfterReports").GetInt64());

        rig.App.Time.Advance(TimeSpan.FromHours(71));
        Assert.Equal(0, await presence.RunOnceAsync(rig.App.Time.GetUtcNow(), ct));
        rig.App.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await presence.RunOnceAsync(rig.App.Time.GetUtcNow(), ct));
        var client = await rig.App.AdminAsync();
        Assert.Contains("since it was connected", (await client.GetOkAsync($"/api/device-alarms?meterId={rig.MeterId}")).EnumerateArray().Single().Str("detail"));
    }

    [Fact]
    public async Task ReportPeriod_IsRefusedOnWiredMeters()
    {
        await using var app = new Support.DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var busId = await Support.DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", 502);
        var meterId = await site.MeterAsync("E-1");
        var response = await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "1", profile = "generic-modbus", reportPeriodMinutes = 60 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reportPeriodMinutes", System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.ErrorFields());
    }
}
