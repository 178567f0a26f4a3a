using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Building;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Building;

public class CircuitTests
{
    sealed record World(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Master, long[] Subs) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>
    /// A master meter and two sub-meters read at midnight (Shanghai) from 2 to 5 November. On 2 November the subs read 95 %
    /// of the master (100 + 90 of 200), on 3 November 100 % (100 + 100); sub B has no reading on 5 November, so 4 November
    /// has no data for the circuit.
    /// </summary>
    static async Task<World> WorldAsync()
    {
        var app = new PrepaidApp { Settings = { ["Prepaid:Devices:Background"] = "false" } };
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-06T08:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        long Meter(JsonElement e) => e.Id();
        var master = Meter(await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "MAIN", utility = "electricity", ratedMaxPerHour = "1000" }));
        var a = Meter(await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "SUB-A", utility = "electricity", ratedMaxPerHour = "1000" }));
        var b = Meter(await admin.PostOkAsync("/api/meters", new { siteId = site.SiteId, serial = "SUB-B", utility = "electricity", ratedMaxPerHour = "1000" }));
        var readings = new List<object>();
        string[] days = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];
        string[][] totals = [["0", "200", "400", "600"], ["0", "100", "200", "300"], ["0", "90", "190", ""]];
        string[] serials = ["MAIN", "SUB-A", "SUB-B"];
        for (var m = 0; m < 3; m++)
            for (var d = 0; d < days.Length; d++)
                if (totals[m][d] != "") readings.Add(new { serial = serials[m], at = $"{days[d]}T00:00:00+08:00", registers = new { total = totals[m][d] } });
        await site.ReadingsAsync([.. readings]);
        return new World(app, admin, site, master, [a, b]);
    }

    static async Task<long> CircuitAsync(World w, string? threshold) =>
        (await w.Admin.PostOkAsync("/api/circuits", new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = w.Subs, thresholdPct = threshold })).Id();

    [Fact] // R32: sub-meters at 95 % of the master raise the day's alarm at a 4 % threshold and not at 6 %; a day a meter did not report is no data
    public async Task Balance_SubsAt95Percent_AlarmAt4NotAt6_NoDataDayShownAsSuch_R32()
    {
        using var w = await WorldAsync();
        var at4 = await CircuitAsync(w, "4");
        var at6 = await CircuitAsync(w, "6");

        var rows = (await w.Admin.GetOkAsync($"/api/circuits/{at4}/balance?from=2026-11-02&to=2026-11-05&step=day")).EnumerateArray().ToArray();
        Assert.Equal(["2026-11-02T00:00:00.000+08:00", "2026-11-03T00:00:00.000+08:00", "2026-11-04T00:00:00.000+08:00"], rows.Select(r => r.Str("from")));
        Assert.Equal(("200.000", "190.000", "10.000", "5.00", true), (rows[0].Str("master"), rows[0].Str("subs"), rows[0].Str("imbalance"), rows[0].Str("imbalancePct"), rows[0].GetProperty("alarm").GetBoolean()));
        Assert.Equal(("0.000", false), (rows[1].Str("imbalance"), rows[1].GetProperty("alarm").GetBoolean()));
        Assert.True(rows[2].GetProperty("noData").GetBoolean());
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("imbalance").ValueKind);
        Assert.False(rows[2].GetProperty("alarm").GetBoolean());

        var first6 = (await w.Admin.GetOkAsync($"/api/circuits/{at6}/balance?from=2026-11-02&to=2026-11-03")).EnumerateArray().Single();
        Assert.Equal("5.00", first6.Str("imbalancePct"));
        Assert.False(first6.GetProperty("alarm").GetBoolean());
    }

    [Fact] // R32: by month, a month whose start no meter reached is no data; a month of data sums its days
    public async Task Balance_ByMonth_R32()
    {
        using var w = await WorldAsync();
        var id = await CircuitAsync(w, null);
        var november = (await w.Admin.GetOkAsync($"/api/circuits/{id}/balance?from=2026-11-01&to=2026-12-01&step=month")).EnumerateArray().Single();
        Assert.True(november.GetProperty("noData").GetBoolean()); // no reading at or before 1 November, nor at or after 1 December
        var part = (await w.Admin.GetOkAsync($"/api/circuits/{id}/balance?from=2026-11-02&to=2026-11-04&step=month")).EnumerateArray().Single();
        Assert.Equal(("400.000", "390.000", "2.50", false), (part.Str("master"), part.Str("subs"), part.Str("imbalancePct"), part.GetProperty("alarm").GetBoolean()));
    }

    [Fact] // R32: the daily check raises the circuit's alarm once for a day above the threshold, clears it on a balanced day, leaves it on a day without data
    public async Task DailyCheck_RaisesOnce_ClearsOnBalancedDay_R32()
    {
        using var w = await WorldAsync();
        var at4 = await CircuitAsync(w, "4");
        var at6 = await CircuitAsync(w, "6");
        var checks = w.App.Services.GetRequiredService<BuildingChecks>();

        async Task<JsonElement[]> CircuitAlarms() => [.. (await w.Admin.GetOkAsync("/api/device-alarms")).EnumerateArray().Where(a => a.Str("kind") == "circuit")];
        await checks.CircuitsAsync(DateTimeOffset.Parse("2026-11-03T00:10:00+08:00"));
        await checks.CircuitsAsync(DateTimeOffset.Parse("2026-11-03T08:00:00+08:00"));
        var raised = Assert.Single(await CircuitAlarms());
        Assert.Equal(w.Master, raised.GetProperty("meterId").GetInt64());
        Assert.Contains("5.00 %", raised.Str("detail"));
        Assert.NotEqual(JsonValueKind.Null, (await w.Admin.GetOkAsync($"/api/circuits/{at4}")).GetProperty("openAlarm").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await w.Admin.GetOkAsync($"/api/circuits/{at6}")).GetProperty("openAlarm").ValueKind);

        await checks.CircuitsAsync(DateTimeOffset.Parse("2026-11-04T08:00:00+08:00")); // 3 November balances
        Assert.NotEqual(JsonValueKind.Null, Assert.Single(await CircuitAlarms()).GetProperty("clearedAt").ValueKind);

        await checks.CircuitsAsync(DateTimeOffset.Parse("2026-11-05T08:00:00+08:00")); // 4 November: no data, nothing changes
        Assert.Single(await CircuitAlarms());
    }

    [Fact] // R32: a circuit is one utility of one site; every refusal names its field
    public async Task Create_Refusals_NameTheField_R32()
    {
        using var w = await WorldAsync();
        var water = (await w.Admin.PostOkAsync("/api/meters", new { siteId = w.Site.SiteId, serial = "W-1", utility = "water" })).Id();
        var heat = (await w.Admin.PostOkAsync("/api/meters", new { siteId = w.Site.SiteId, serial = "H-1", utility = "heat" })).Id();
        async Task<string[]> Refused(object body)
        {
            var response = await w.Admin.PostAsJsonAsync("/api/circuits", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.ReadJsonAsync()).ErrorFields();
        }
        Assert.Equal(["subMeterIds[1]"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = new[] { w.Subs[0], water } }));
        Assert.Equal(["masterMeterId"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = heat, subMeterIds = new[] { w.Subs[0] } }));
        Assert.Equal(["thresholdPct"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = w.Subs, thresholdPct = "0" }));
        Assert.Equal(["subMeterIds[0]"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = new[] { w.Master } }));
        Assert.Equal(["subMeterIds[1]"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = new[] { w.Subs[0], w.Subs[0] } }));
        Assert.Equal(["subMeterIds"], await Refused(new { siteId = w.Site.SiteId, masterMeterId = w.Master, subMeterIds = Array.Empty<long>() }));
        var id = await CircuitAsync(w, null);
        var bad = await w.Admin.GetAsync($"/api/circuits/{id}/balance?from=2026-11-05&to=2026-11-02&step=week");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["from", "step", "to"], (await bad.ReadJsonAsync()).ErrorFields().Order());
    }

    [Fact] // A deleted circuit leaves the list and answers 404; its open alarm is cleared
    public async Task Delete_LeavesList_ClearsAlarm()
    {
        using var w = await WorldAsync();
        var id = await CircuitAsync(w, "4");
        await w.App.Services.GetRequiredService<BuildingChecks>().CircuitsAsync(DateTimeOffset.Parse("2026-11-03T08:00:00+08:00"));
        var listed = await w.Admin.GetOkAsync($"/api/circuits?siteId={w.Site.SiteId}");
        Assert.Equal([id], listed.EnumerateArray().Select(c => c.Id()));
        Assert.Equal(w.Subs, listed[0].GetProperty("subMeterIds").EnumerateArray().Select(s => s.GetInt64()));

        Assert.Equal(HttpStatusCode.NoContent, (await w.Admin.DeleteAsync($"/api/circuits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Admin.GetAsync($"/api/circuits/{id}")).StatusCode);
        Assert.Empty((await w.Admin.GetOkAsync($"/api/circuits?siteId={w.Site.SiteId}")).EnumerateArray());
        Assert.Empty((await w.Admin.GetOkAsync("/api/device-alarms?openOnly=true")).EnumerateArray());
    }
}
