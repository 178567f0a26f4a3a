using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class ReadingsTests
{
    sealed record Fixture(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Account, long Meter) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>A shop on a flat 1.0000/kWh tariff, opened at 100.00 kWh on 1 November, topped up with 100.00.</summary>
    static async Task<Fixture> OpenAsync(string alarm1 = "20.00", string alarm2 = "10.00")
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-1");
        var tenant = await site.TenantAsync();
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100.00")], "2026-11-01T00:00:00+08:00", alarm1, alarm2)).Id();
        await site.TopUpAsync(account, "100.00", "opening");
        return new Fixture(app, admin, site, account, meter);
    }

    static object R(string serial, string at, string total) => new { serial, at, registers = new { total } };

    [Fact]
    public async Task Readings_FlatTariff_BillsEachDeltaOnce_R6_R10()
    {
        using var f = await OpenAsync();
        var result = await f.Site.ReadingsAsync(R("E-1", "2026-11-01T12:00:00+08:00", "112.34"), R("E-1", "2026-11-02T00:00:00+08:00", "120.00"));
        Assert.Equal(["billed", "billed"], result.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.Equal(["12.34", "7.66"], result.EnumerateArray().Select(r => r.Str("amount")).ToArray());
        Assert.Equal("80.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task Readings_SameBatchTwice_IsDuplicateAndBalanceUnchanged_R9()
    {
        using var f = await OpenAsync();
        object[] batch = [R("E-1", "2026-11-01T12:00:00+08:00", "110.00"), R("E-1", "2026-11-01T13:00:00+08:00", "111.00")];
        await f.Site.ReadingsAsync(batch);
        var again = await f.Site.ReadingsAsync(batch);
        Assert.All(again.EnumerateArray(), r => Assert.Equal("duplicate", r.Str("status")));
        Assert.Equal("89.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task Readings_SameTimestampOtherValue_IsRejectedAsConflictAndKept_R9()
    {
        using var f = await OpenAsync();
        await f.Site.ReadingsAsync(R("E-1", "2026-11-01T12:00:00+08:00", "110.00"));
        var conflict = (await f.Site.ReadingsAsync(R("E-1", "2026-11-01T12:00:00+08:00", "115.00")))[0];
        Assert.Equal("rejected", conflict.Str("status"));
        Assert.Contains("R9", conflict.Str("reason"));
        Assert.Equal("90.00", await f.Site.BalanceAsync(f.Account));
        var rejects = await f.Admin.GetOkAsync("/api/readings/rejects");
        Assert.Contains(rejects.EnumerateArray(), r => r.GetProperty("payload").GetRawText().Contains("115"));
    }

    [Fact]
    public async Task Readings_OlderThanLastBilled_IsLateAndNotBilled_R9()
    {
        using var f = await OpenAsync();
        await f.Site.ReadingsAsync(R("E-1", "2026-11-01T12:00:00+08:00", "110.00"));
        var late = (await f.Site.ReadingsAsync(R("E-1", "2026-11-01T06:00:00+08:00", "105.00")))[0];
        Assert.Equal("late", late.Str("status"));
        Assert.Equal("90.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task Readings_ShuffledBatch_BillsAsIfSorted_R9()
    {
        using var f = await OpenAsync();
        var result = await f.Site.ReadingsAsync(R("E-1", "2026-11-01T14:00:00+08:00", "130.00"), R("E-1", "2026-11-01T12:00:00+08:00", "110.00"));
        Assert.Equal(["billed", "billed"], result.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.Equal(["20.00", "10.00"], result.EnumerateArray().Select(r => r.Str("amount")).ToArray());
    }

    [Fact]
    public async Task Readings_Decrease_IsRejected_RolloverIsBilled_R7()
    {
        using var f = await OpenAsync();
        var decrease = (await f.Site.ReadingsAsync(R("E-1", "2026-11-01T12:00:00+08:00", "90.00")))[0];
        Assert.Equal("rejected", decrease.Str("status"));
        Assert.Equal("100.00", await f.Site.BalanceAsync(f.Account));
        var readings = await f.Admin.GetOkAsync($"/api/meters/{f.Meter}/readings");
        Assert.Contains(readings.EnumerateArray(), r => r.Str("status") == "rejected");
    }

    [Fact]
    public async Task Readings_ImplausibleJump_IsHeldThenAcceptedByOperator_R8()
    {
        using var f = await OpenAsync();
        // Default limit: 60 A × 230 V × 1.2 = 16.56 kWh per hour. One hour, 500 kWh: suspect.
        var held = await f.Site.ReadingsAsync(R("E-1", "2026-11-01T01:00:00+08:00", "600.00"), R("E-1", "2026-11-01T02:00:00+08:00", "601.00"));
        Assert.Equal(["suspect", "suspect"], held.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.Equal("100.00", await f.Site.BalanceAsync(f.Account));

        var accepted = await f.Admin.PostOkAsync($"/api/readings/held/{f.Meter}/accept", new { note = "meter replaced CT" }, HttpStatusCode.OK);
        Assert.Equal("billed", accepted.GetProperty("queued")[0].Str("status"));
        Assert.Equal("-401.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task Readings_BeforeTheTariffsFirstVersion_AreHeldWithTheReason_TheRestOfTheBatchBills_R12a_R9b()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var fromMay = await site.FlatTariffAsync("1.0000", effectiveFrom: "2026-05-01T00:00:00+08:00");
        var fromJanuary = await site.FlatTariffAsync("1.0000");
        var early = await site.MeterAsync("E-1");
        var other = await site.MeterAsync("E-2");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(early, fromMay, "0")], "2026-04-30T00:00:00+08:00")).Id();
        var otherAccount = (await site.AccountAsync(await site.TenantAsync("Shop 102", phone: "13800000002"), [(other, fromJanuary, "0")], "2026-04-30T00:00:00+08:00")).Id();

        var batch = await site.ReadingsAsync(R("E-1", "2026-05-02T00:00:00+08:00", "10.00"), R("E-2", "2026-05-02T00:00:00+08:00", "10.00"),
            R("E-1", "2026-05-03T00:00:00+08:00", "12.00"));
        Assert.Equal(["suspect", "billed", "suspect"], batch.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.Contains("R12a", batch[0].Str("reason"));
        Assert.Contains("R8", batch[2].Str("reason"));                // queued behind the held one
        Assert.Equal("10.00", batch[1].Str("amount"));
        Assert.Equal("0.00", await site.BalanceAsync(account));           // never priced by the May version
        Assert.Equal("-10.00", await site.BalanceAsync(otherAccount));

        // Accepting it makes it the baseline without a price; the reading queued behind it bills from there.
        var accepted = await admin.PostOkAsync($"/api/readings/held/{early}/accept", new { note = "tariff starts in May" }, HttpStatusCode.OK);
        Assert.Equal("billed", accepted.GetProperty("queued")[0].Str("status"));
        Assert.Equal("2.00", accepted.GetProperty("queued")[0].Str("amount"));
        Assert.Equal("-2.00", await site.BalanceAsync(account));
        var held = (await admin.GetOkAsync($"/api/meters/{early}/readings")).EnumerateArray().Single(r => r.Str("at").StartsWith("2026-05-02"));
        Assert.Equal("baseline", held.Str("status"));
        Assert.Contains("R12a", held.Str("reason"));
    }

    [Fact]
    public async Task Readings_UnknownSerial_Answers400NamingTheReadingAndBillsNothing()
    {
        using var f = await OpenAsync();
        var response = await f.Admin.PostAsJsonAsync("/api/readings", new object[] { R("E-1", "2026-11-01T12:00:00+08:00", "110.00"), R("NOPE", "2026-11-01T12:00:00+08:00", "1.00") });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[1].serial", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Equal("100.00", await f.Site.BalanceAsync(f.Account));
        Assert.DoesNotContain((await f.Admin.GetOkAsync($"/api/meters/{f.Meter}/readings")).EnumerateArray(), r => r.Str("status") != "baseline");
        Assert.NotEmpty((await f.Admin.GetOkAsync("/api/readings/rejects")).EnumerateArray());
    }

    [Theory]
    [InlineData("2026-11-01 12:00")]
    [InlineData("2026-11-01T12:00:00")]
    [InlineData("yesterday")]
    public async Task Readings_MalformedTimestamp_Answers400NamingAt(string at)
    {
        using var f = await OpenAsync();
        var response = await f.Admin.PostAsJsonAsync("/api/readings", new object[] { R("E-1", at, "110.00") });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.True(problem.ErrorFields().Contains("[0].at"), problem.GetRawText());
        Assert.Equal("100.00", await f.Site.BalanceAsync(f.Account));
    }

    [Fact]
    public async Task Readings_NumbersInsteadOfStrings_AreAcceptedExactly()
    {
        using var f = await OpenAsync();
        var content = new StringContent("""[{"serial":"E-1","at":"2026-11-01T12:00:00+08:00","registers":{"total":112.345}}]""", System.Text.Encoding.UTF8, "application/json");
        var response = await f.Admin.PostAsync("/api/readings", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("12.35", (await response.ReadJsonAsync())[0].Str("amount"));
    }

    [Fact]
    public async Task Readings_MoreThan10000_Answers400()
    {
        using var f = await OpenAsync();
        var batch = Enumerable.Range(0, 10_001).Select(i => R("E-1", DateTimeOffset.Parse("2026-11-01T00:00:00+08:00").AddMinutes(i + 1).ToString("O"), "100.00")).ToArray();
        var response = await f.Admin.PostAsJsonAsync("/api/readings", batch);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Arrears_RequestsTrip_TopUpRequestsClose_R16()
    {
        using var f = await OpenAsync();
        await f.Site.ReadingsAsync(R("E-1", "2026-11-02T08:00:00+08:00", "185.00")); // 85.00: balance 15.00 → alarm 1
        Assert.Equal("alarm1", (await f.Admin.GetOkAsync($"/api/accounts/{f.Account}")).Str("state"));
        await f.Site.ReadingsAsync(R("E-1", "2026-11-02T09:00:00+08:00", "200.01")); // −0.01: arrears
        var account = await f.Admin.GetOkAsync($"/api/accounts/{f.Account}");
        Assert.Equal("arrears", account.Str("state"));
        Assert.Equal("-0.01", account.Str("balance"));

        var trips = await f.Admin.GetOkAsync($"/api/outbox?kind=switchRequested&accountId={f.Account}");
        var trip = Assert.Single(trips.EnumerateArray());
        Assert.Equal("trip", trip.GetProperty("payload").Str("action"));
        Assert.Equal(f.Meter, trip.GetProperty("meterId").GetInt64());

        await f.Site.TopUpAsync(f.Account, "50.00", "rescue");
        var switches = (await f.Admin.GetOkAsync($"/api/outbox?kind=switchRequested&accountId={f.Account}")).EnumerateArray().ToList();
        Assert.Equal(["trip", "close"], switches.Select(s => s.GetProperty("payload").Str("action")).ToArray());
    }

    [Fact]
    public async Task Arrears_InsideFriendlyWindow_TripWaitsForWindowEnd_R16()
    {
        var app = new PrepaidApp();
        using var _ = app;
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:30:00+08:00")); // Monday night, inside the window
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync(new { nightFrom = "22:00", nightTo = "07:00", weekends = true, holidays = Array.Empty<string>() });
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-9");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-02T20:00:00+08:00")).Id();
        await site.ReadingsAsync(R("E-9", "2026-11-02T23:00:00+08:00", "1.00"));
        var trip = Assert.Single((await admin.GetOkAsync($"/api/outbox?kind=switchRequested&accountId={account}")).EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2026-11-03T07:00:00+08:00"), DateTimeOffset.Parse(trip.GetProperty("payload").Str("notBefore")));
    }

    [Fact]
    public async Task Arrears_KeepOnAccount_NeverTrips_R16()
    {
        var app = new PrepaidApp();
        using var _ = app;
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-ward");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00", keepOn: true)).Id();
        await site.ReadingsAsync(R("E-ward", "2026-11-01T01:00:00+08:00", "5.00"));
        Assert.Equal("arrears", (await admin.GetOkAsync($"/api/accounts/{account}")).Str("state"));
        Assert.Empty((await admin.GetOkAsync($"/api/outbox?kind=switchRequested&accountId={account}")).EnumerateArray());
    }
}
