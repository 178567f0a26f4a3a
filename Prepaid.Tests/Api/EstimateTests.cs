using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Data;
using Prepaid.Api.Estimates;
using Prepaid.Api.Ledger;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// R30 through the API: a shop on a flat 1.0000/kWh tariff opened on 1 November at 100.00 kWh and read every midnight with
/// 10 kWh a day up to 11 November (200.00 kWh), topped up with 200.00. Then it goes quiet.
/// </summary>
public class EstimateTests
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    sealed record Fixture(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Account, long Meter) : IDisposable
    {
        public DailyEstimates Estimates => App.Services.GetRequiredService<DailyEstimates>();
        public void Dispose() => App.Dispose();
    }

    static async Task<Fixture> OpenAsync(int days = 10)
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-1");
        var tenant = await site.TenantAsync();
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100.00")], "2026-11-01T00:00:00+08:00")).Id();
        await site.TopUpAsync(account, "200.00", "opening");
        for (var d = 1; d <= days; d++)
            await site.ReadingsAsync(new { meterId = meter, at = At(1 + d, 0), registers = new { total = (100 + 10 * d).ToString() } });
        return new Fixture(app, admin, site, account, meter);
    }

    /// <summary>Moves the clock on and signs in again: a token lives 12 hours of the fake clock too.</summary>
    static async Task<HttpClient> ClockAsync(Fixture f, DateTimeOffset now)
    {
        f.App.Time.SetUtcNow(now);
        return await f.App.AdminAsync();
    }

    static string At(int day, int hour) => new DateTimeOffset(2026, 11, day, hour, 0, 0, China).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

    static DateTimeOffset Instant(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, China);

    static async Task<JsonElement[]> ReadingsAsync(Fixture f) =>
        (await f.Admin.GetOkAsync($"/api/meters/{f.Meter}/readings")).EnumerateArray().ToArray();

    [Fact]
    public async Task DailyPass_EstimatesEachDayWithoutReadings_AtItsEnd_ByTheAverageOfTheDaysWithReadings_R30()
    {
        using var f = await OpenAsync();
        // 12 and 13 November have no reading; the pass on the 14th estimates both, 10.00 kWh each (100 kWh over 10 days).
        Assert.Equal(2, await f.Estimates.RunAsync(Instant(14, 0, 30)));
        var estimates = (await ReadingsAsync(f)).Where(r => r.GetProperty("estimated").GetBoolean()).OrderBy(r => r.Str("at")).ToArray();
        Assert.Equal(["2026-11-12T23:59:59.999+08:00", "2026-11-13T23:59:59.999+08:00"], estimates.Select(r => r.Str("at")).ToArray());
        Assert.Equal(["210", "220"], estimates.Select(r => r.GetProperty("registers").Str("total")).ToArray());
        Assert.All(estimates, r => Assert.Equal(("billed", "estimate", "10.00"), (r.Str("status"), r.Str("source"), r.Str("amount"))));
        Assert.Equal("80.00", await f.Site.BalanceAsync(f.Account));
        // The account's last reading is an estimate, and its ledger says so.
        Assert.True((await f.Admin.GetOkAsync($"/api/accounts/{f.Account}")).GetProperty("meters")[0].GetProperty("lastReading").GetProperty("estimated").GetBoolean());
        var ledger = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/ledger")).EnumerateArray().ToArray();
        Assert.True(ledger[0].GetProperty("estimated").GetBoolean());
        Assert.False(ledger.Last(p => p.Str("kind") == "consumption").GetProperty("estimated").GetBoolean());
        // Again: nothing more, an estimated day holds a reading.
        Assert.Equal(0, await f.Estimates.RunAsync(Instant(14, 5)));
        Assert.Equal("80.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task RealReadingAfterEstimates_PostsTheDifference_AndLeavesTheWalletAsRealReadingsAlone_R30()
    {
        using var f = await OpenAsync();
        await f.Estimates.RunAsync(Instant(14, 0, 30));
        Assert.Equal("80.00", await f.Site.BalanceAsync(f.Account));
        // The real reading: 35 kWh since the last real one (11 November, 200). Real readings alone debit 135.00 in all.
        var real = (await f.Site.ReadingsAsync(new { meterId = f.Meter, at = At(14, 12), registers = new { total = "235" } }))[0];
        Assert.Equal("billed", real.Str("status"));
        Assert.Equal("15.00", real.Str("amount"));
        Assert.Equal("65.00", await f.Site.BalanceAsync(f.Account));
        var posting = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/ledger")).EnumerateArray().First();
        Assert.Equal(("reestimate", "-15.00"), (posting.Str("kind"), posting.Str("amount")));
        Assert.Equal($"reestimate:{f.Meter}:{Instant(14, 12).ToUnixTimeMilliseconds()}", posting.Str("key"));
        // The estimates stay, marked and superseded; the account's last reading is real again.
        var readings = await ReadingsAsync(f);
        Assert.Equal(2, readings.Count(r => r.GetProperty("estimated").GetBoolean() && r.Str("status") == "superseded"));
        Assert.False((await f.Admin.GetOkAsync($"/api/accounts/{f.Account}")).GetProperty("meters")[0].GetProperty("lastReading").GetProperty("estimated").GetBoolean());
        // Replaying the real reading changes nothing (R9); R22 holds, R4 with the correction counted.
        Assert.Equal("duplicate", (await f.Site.ReadingsAsync(new { meterId = f.Meter, at = At(14, 12), registers = new { total = "235" } }))[0].Str("status"));
        Assert.Equal("65.00", await f.Site.BalanceAsync(f.Account));
        Assert.All(await LedgerCheck.RunAsync(f.App.Services.GetRequiredService<Db>()), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }

    [Fact] // R36 with R30: the statement marks estimated lines, and explains the difference by the real reading that posted it
    public async Task Statement_MarksEstimatedLines_AndTheRealReadingsDifferenceJoinsTheDaysConsumption_R30()
    {
        using var f = await OpenAsync();
        await f.Estimates.RunAsync(Instant(14, 0, 30));
        var query = "from=2026-11-12&to=2026-11-15";
        var lines = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/statements?{query}")).GetProperty("lines").EnumerateArray().ToArray();
        Assert.Equal([("consumption", "-10.00", true), ("consumption", "-10.00", true)],
            lines.Select(l => (l.Str("kind"), l.Str("amount"), l.GetProperty("estimated").GetBoolean())).ToArray());

        await f.Site.ReadingsAsync(new { meterId = f.Meter, at = At(14, 12), registers = new { total = "235" } });
        lines = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/statements?{query}")).GetProperty("lines").EnumerateArray().ToArray();
        var correction = Assert.Single(lines, l => l.Str("kind") == "reestimate");
        Assert.False(correction.GetProperty("estimated").GetBoolean());
        // Explained by the real delta from the last real reading (200 on the 11th → 235): 35 kWh priced 35, posted 15.
        Assert.Equal(("200", "235", "35", "15.00"), (correction.GetProperty("detail").GetProperty("from").GetProperty("registers").Str("total"),
            correction.GetProperty("detail").GetProperty("to").GetProperty("registers").Str("total"),
            correction.GetProperty("detail").Str("quantity"), correction.GetProperty("detail").Str("posted")));
        Assert.All(lines.Where(l => l.Str("kind") == "consumption"), l => Assert.True(l.GetProperty("estimated").GetBoolean()));

        // By day: the 14th's consumption subtotal is the correction, on the consumption line, not a line of its own kind.
        var days = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/statements?{query}&group=day")).GetProperty("lines").EnumerateArray().ToArray();
        Assert.DoesNotContain(days, l => l.Str("kind") == "reestimate");
        Assert.Equal([("2026-11-12", "-10.00", true), ("2026-11-13", "-10.00", true), ("2026-11-14", "-15.00", false)],
            days.Select(l => (l.Str("period"), l.Str("amount"), l.GetProperty("estimated").GetBoolean())).ToArray());
    }

    [Fact]
    public async Task EstimatesAboveTheRealConsumption_AreCreditedBack_R30()
    {
        using var f = await OpenAsync();
        await f.Estimates.RunAsync(Instant(14, 0, 30));
        // Only 12 kWh since the last real reading: the estimates debited 20.00, 8.00 comes back to the wallet.
        var real = (await f.Site.ReadingsAsync(new { meterId = f.Meter, at = At(14, 12), registers = new { total = "212" } }))[0];
        Assert.Equal("-8.00", real.Str("amount"));
        Assert.Equal("88.00", await f.Site.BalanceAsync(f.Account));
        var posting = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/ledger")).EnumerateArray().First();
        Assert.Equal(("reestimate", "8.00"), (posting.Str("kind"), posting.Str("amount")));
        Assert.All(await LedgerCheck.RunAsync(f.App.Services.GetRequiredService<Db>()), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public async Task EstimateButton_EstimatesOneDay_OrSaysWhyNot_R30()
    {
        using var f = await OpenAsync();
        var admin = await ClockAsync(f, Instant(13, 9));
        var made = await admin.PostOkAsync($"/api/meters/{f.Meter}/estimates", new { day = "2026-11-12" });
        Assert.Equal(("2026-11-12T23:59:59.999+08:00", "210", true, "10.00"),
            (made.Str("at"), made.GetProperty("registers").Str("total"), made.GetProperty("estimated").GetBoolean(), made.Str("amount")));
        // The same day again has a reading now; today is not over; a day before the last reading is billed by it.
        foreach (var (day, words) in new[] { ("2026-11-12", "readings on that day"), ("2026-11-13", "not over"), ("2026-11-05", "readings on that day"), ("2026-10-20", "after that day") })
        {
            var refused = await admin.PostAsJsonAsync($"/api/meters/{f.Meter}/estimates", new { day });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = await refused.ReadJsonAsync();
            Assert.Equal(["day"], problem.ErrorFields());
            Assert.Contains(words, problem.GetProperty("errors").GetProperty("day")[0].GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/meters/{f.Meter}/estimates", new { day = "2026-13-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/meters/999/estimates", new { day = "2026-11-12" })).StatusCode);
        Assert.Equal("90.00", (await admin.GetOkAsync($"/api/accounts/{f.Account}")).Str("balance")); // 100.00 of real readings, 10.00 estimated
    }

    [Fact]
    public async Task FewerThanSevenDaysWithReadings_GiveNoEstimate_R30()
    {
        using var f = await OpenAsync(days: 5); // readings on 1–6 November: six days
        var admin = await ClockAsync(f, Instant(9, 9));
        var refused = await admin.PostAsJsonAsync($"/api/meters/{f.Meter}/estimates", new { day = "2026-11-07" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Fewer than 7", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("day")[0].GetString());
        Assert.Equal(0, await f.Estimates.RunAsync(Instant(9, 9)));
        // One more day with a reading makes seven.
        await admin.PostOkAsync("/api/readings", new[] { new { meterId = f.Meter, at = At(7, 0), registers = new { total = "160" } } }, HttpStatusCode.OK);
        Assert.Equal(1, await f.Estimates.RunAsync(Instant(9, 9)));
    }

    [Fact]
    public async Task EstimatedRegistersAtAnInstant_ForAMoveOut_ExtrapolateTheAverage_OrAreNull_R30()
    {
        using var f = await OpenAsync();
        var db = f.App.Services.GetRequiredService<Db>();
        await using var connection = await db.OpenAsync();
        // 3.5 days after the last reading (11 November 00:00, 200): 35 kWh at 10 a day.
        var registers = await Estimates.RegistersAtAsync(connection, null, f.Meter, Instant(14, 12));
        Assert.Equal(235m, registers!.Total);
        Assert.Null(await Estimates.RegistersAtAsync(connection, null, f.Meter, Instant(10, 12))); // before the last reading
        using var few = await OpenAsync(days: 3);
        await using var other = await few.App.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Null(await Estimates.RegistersAtAsync(other, null, few.Meter, Instant(14, 12)));
    }

    [Fact]
    public async Task ConsumptionPerDay_ShowsNoDataAsNull_AndEstimatesAsEstimated_R30()
    {
        using var f = await OpenAsync();
        await f.Estimates.RunAsync(Instant(14, 0, 30));
        await f.Site.ReadingsAsync(new { meterId = f.Meter, at = At(16, 12), registers = new { total = "255" } });
        var days = (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}/consumption?from=2026-11-10&to=2026-11-18")).EnumerateArray()
            .ToDictionary(d => d.Str("bucket"));
        Assert.Equal(8, days.Count);
        Assert.Equal(("10", false), (days["2026-11-10"].Str("quantity"), days["2026-11-10"].GetProperty("estimated").GetBoolean()));
        Assert.Equal(("10", true), (days["2026-11-12"].Str("quantity"), days["2026-11-12"].GetProperty("estimated").GetBoolean()));
        // 14, 15 and 17 November have no reading at all: no data, not zero.
        foreach (var day in new[] { "2026-11-14", "2026-11-15", "2026-11-17" })
        {
            Assert.Equal(JsonValueKind.Null, days[day].GetProperty("quantity").ValueKind);
            Assert.Equal(JsonValueKind.Null, days[day].GetProperty("amount").ValueKind);
        }
        // The real reading carries what the estimates did not: 55 kWh since the 11th, 20 of them estimated.
        Assert.Equal("35", days["2026-11-16"].Str("quantity"));
        var report = (await f.Admin.GetOkAsync($"/api/reports/consumption?siteId={f.Site.SiteId}&from=2026-11-01&to=2026-11-20")).GetProperty("rows")[0];
        Assert.Equal(("155", 2), (report.Str("quantity"), report.GetProperty("estimated").GetInt32()));
    }
}
