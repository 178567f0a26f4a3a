using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>GET /api/dashboard/overview: the figures of the operator's home page, in the site's days.</summary>
public class OverviewApiTests
{
    [Fact] // Today is the site's day: a top-up at 23:30 on 2 Nov in Shanghai (15:30 UTC) is 2 Nov's, one at 00:30 on 3 Nov is 3 Nov's
    public async Task TopUpsAndConsumption_ByChannelAndUtility_InTheSitesDays()
    {
        using var app = new PrepaidApp();
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:00:00+08:00")); // tokens last 12 hours
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var water = await site.FlatTariffAsync("3.0000", utility: "water");
        var e1 = await site.MeterAsync("E-1");
        var w1 = await site.MeterAsync("W-1", "water");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(e1, tariff, "100"), (w1, water, "10")], "2026-11-02T08:00:00+08:00")).Id();

        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:30:00+08:00"));
        await site.TopUpAsync(account, "50.00", "ov-1");
        await site.ReadingsAsync(new { meterId = e1, at = "2026-11-02T23:00:00+08:00", registers = new { total = "104" } }); // 4.00 on 2 Nov
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-03T00:30:00+08:00"));
        await site.TopUpAsync(account, "20.00", "ov-2");
        await site.TopUpAsync(account, "10.00", "ov-3", channel: "card");
        await site.ReadingsAsync(
            new { meterId = e1, at = "2026-11-03T00:20:00+08:00", registers = new { total = "106.5" } },  // 2.5 kWh, 2.50
            new { meterId = w1, at = "2026-11-03T00:20:00+08:00", registers = new { total = "10.5" } });  // 0.5 m³, 1.50

        var o = await admin.GetOkAsync($"/api/dashboard/overview?siteId={site.SiteId}");
        Assert.Equal("2026-11-03", o.Str("today"));
        Assert.Equal("Asia/Shanghai", o.Str("zone"));
        var topUps = o.GetProperty("topUpsToday").EnumerateArray().ToDictionary(t => t.Str("channel"));
        Assert.Equal(["card", "cash"], topUps.Keys.Order().ToArray());
        Assert.Equal("20.00", topUps["cash"].Str("amount"));
        Assert.Equal(1, topUps["cash"].GetProperty("count").GetInt32());
        Assert.Equal("10.00", topUps["card"].Str("amount"));
        var consumption = o.GetProperty("consumptionToday").EnumerateArray().ToDictionary(c => c.Str("utility"));
        Assert.Equal("2.50", consumption["electricity"].Str("amount"));
        Assert.Equal(2.5m, decimal.Parse(consumption["electricity"].Str("quantity")));
        Assert.Equal("1.50", consumption["water"].Str("amount"));

        var trend = o.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(30, trend.Count);
        Assert.Equal("2026-10-05", trend[0].Str("day"));
        Assert.Equal("2026-11-03", trend[^1].Str("day"));
        Assert.Equal("50.00", trend[^2].Str("sales"));
        Assert.Equal("4.00", trend[^2].Str("consumption"));
        Assert.Equal("30.00", trend[^1].Str("sales"));
        Assert.Equal("4.00", trend[^1].Str("consumption"));
        Assert.Equal("0.00", trend[0].Str("sales"));
    }

    [Fact] // R16: at night the trip waits for 07:00; the overview lists it with its time, next to failed commands and open alarms
    public async Task PendingTrips_FailedCommands_OpenAlarms_AreListed()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(new { nightFrom = "22:00", nightTo = "07:00" });
        var tariff = await site.FlatTariffAsync("1.0000");
        var e1 = await site.MeterAsync("E-1");
        var e2 = await site.MeterAsync("E-2");
        var account = (await site.AccountAsync(await site.TenantAsync("Noodles"), [(e1, tariff, "100")], "2026-11-02T08:00:00+08:00")).Id();
        await site.TopUpAsync(account, "5.00", "ov-1");
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:10:00+08:00"));
        admin = await app.AdminAsync(); // the morning's token has expired
        site = new SiteBuilder(admin) { SiteId = site.SiteId };
        await site.ReadingsAsync(new { meterId = e1, at = "2026-11-02T23:00:00+08:00", registers = new { total = "110" } }); // −5.00: arrears

        await using (var db = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            // What the dispatcher and the poller leave behind: a trip that failed, a superseded close (no failure), an offline alarm.
            var nowMs = app.Time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.ExecuteAsync("""
                INSERT INTO device_commands (meter_id, kind, source, state, error, attempts, next_attempt_at_ms, expires_at_ms, created_at_ms, updated_at_ms)
                VALUES (@e2, 'trip', 'operator', 'failed', 'No answer from the meter.', 3, @nowMs, @nowMs, @nowMs, @nowMs),
                       (@e2, 'close', 'engine', 'expired', 'Superseded by a later trip request.', 0, @nowMs, @nowMs, @nowMs, @nowMs)
                """, new { e2, nowMs });
            await db.ExecuteAsync("INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@e2, 'offline', 'No answer for 3 polls.', @nowMs)",
                new { e2, nowMs });
        }

        var o = await admin.GetOkAsync($"/api/dashboard/overview?siteId={site.SiteId}");
        var trip = Assert.Single(o.GetProperty("pendingTrips").EnumerateArray());
        Assert.Equal(e1, trip.GetProperty("meterId").GetInt64());
        Assert.Equal("Noodles", trip.Str("tenant"));
        Assert.Equal("2026-11-03T07:00:00.000+08:00", trip.Str("supplyCutAt"));
        Assert.Equal(1, o.GetProperty("failedCommands").GetProperty("count").GetInt32());
        var failed = o.GetProperty("failedCommands").GetProperty("recent")[0];
        Assert.Equal("E-2", failed.Str("serial"));
        Assert.Equal("No answer from the meter.", failed.Str("error"));
        Assert.Equal(1, o.GetProperty("openAlarms").GetProperty("count").GetInt32());
        Assert.Equal(1, o.GetProperty("openAlarms").GetProperty("byKind").GetProperty("offline").GetInt32());

        // A top-up that pays the arrears supersedes the waiting trip: nothing is pending any more.
        await site.TopUpAsync(account, "20.00", "ov-2");
        o = await admin.GetOkAsync($"/api/dashboard/overview?siteId={site.SiteId}");
        Assert.Empty(o.GetProperty("pendingTrips").EnumerateArray());
    }

    [Fact] // A meter whose only reading is the opening one an operator typed has never reported: offline, not online
    public async Task OpenedMeter_ThatNeverReported_IsOffline()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "100")], "2026-11-02T08:00:00+08:00")).Id();
        await site.TopUpAsync(account, "30.00", "ov-1");
        var row = (await admin.GetOkAsync($"/api/dashboard/meters?siteId={site.SiteId}")).EnumerateArray().Single();
        Assert.False(row.GetProperty("online").GetBoolean());
        Assert.Equal("offline", row.Str("state"));

        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T08:20:00+08:00"));
        await site.ReadingsAsync(new { meterId = meter, at = "2026-11-02T08:15:00+08:00", registers = new { total = "100.5" } });
        row = (await admin.GetOkAsync($"/api/dashboard/meters?siteId={site.SiteId}")).EnumerateArray().Single();
        Assert.True(row.GetProperty("online").GetBoolean());
        Assert.Equal("normal", row.Str("state"));
    }

    [Fact] // A site-scoped operator's overview without a site holds only their sites' figures
    public async Task Overview_OfAnotherSite_Answers404()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var a = await new SiteBuilder(admin).SiteAsync(name: "A");
        var b = await new SiteBuilder(admin).SiteAsync(name: "B");
        await admin.PostOkAsync("/api/users", new { username = "op-a", password = "op-a-password", role = "operator", siteIds = new[] { a.SiteId } });
        var op = await app.SignInAsync("op-a", "op-a-password");
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/api/dashboard/overview?siteId={b.SiteId}")).StatusCode);
        Assert.Equal(JsonValueKind.Array, (await op.GetOkAsync($"/api/dashboard/overview?siteId={a.SiteId}")).GetProperty("trend").ValueKind);
    }
}
