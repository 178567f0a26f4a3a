using System.Net;
using System.Net.Http.Json;
using Dapper;
using Prepaid.Api.Devices;
using Prepaid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R28: recurring charges through POST /api/charges, the run the job makes, and their effect on switching (R16).</summary>
public class ChargesTests
{
    static readonly DateTimeOffset December11 = new(2026, 12, 11, 10, 0, 0, TimeSpan.FromHours(8));

    static object Rent(long accountId, string from = "2026-12-11", bool trips = true, string amount = "3000.00", int dueDay = 1) =>
        new { accountId, kind = "rent", name = "Rent 房租", amount, period = "month", dueDay, from, tripsOnArrears = trips };

    [Fact] // the acceptance case: 3,000.00 a month from the 11th bills 2,032.26 for the rest of the 31-day month
    public async Task Rent3000AMonth_FromThe11th_Bills2032_26ForTheRestOfTheMonth_R28()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "5000.00", "a-1");

        var created = await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a), expected: HttpStatusCode.Created);

        var charge = Assert.Single(created.GetProperty("posted").EnumerateArray());
        Assert.Equal("2032.26", charge.Str("amount"));
        Assert.Equal(21, charge.GetProperty("days").GetInt64());
        Assert.Equal(31, charge.GetProperty("periodDays").GetInt64());
        Assert.Equal($"charge:{created.GetProperty("agreement").Id()}:2026-12", charge.Str("key"));
        Assert.Equal("2967.74", await s.Site.BalanceAsync(a));
        // The rent is posted at its period's start, before the top-up's instant: newest first, it is the older line.
        var lines = (await s.Admin.GetOkAsync($"/api/accounts/{a}/ledger")).EnumerateArray().ToArray();
        Assert.Equal(["topup", "rent"], lines.Select(l => l.Str("kind")).ToArray());
        Assert.Equal("-2032.26", lines[1].Str("amount"));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R34 through R28: an annual reading fee of 100.00 for an allocator in service from 15 March is 83.33 for its first year, 100.00 the next
    public async Task ReadingFee_FirstYearByMonthsOfService_NextYearWhole_OnceEach_R34_R28()
    {
        using var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.FromHours(8)));
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-03-15T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "500.00", "a-1");

        var created = await s.OkAsync(HttpMethod.Post, "/api/charges",
            new { accountId = a, kind = "readingFee", name = "HCA reading fee 分配表抄表费", amount = "100.00", period = "year", dueDay = 1, from = "2026-03-15" },
            expected: HttpStatusCode.Created);

        var first = Assert.Single(created.GetProperty("posted").EnumerateArray());
        Assert.Equal("83.33", first.Str("amount"));
        Assert.Equal($"charge:{created.GetProperty("agreement").Id()}:2026", first.Str("key"));
        // The fee is posted at its period's start, before the top-up's instant: newest first, it is the older line.
        var lines = (await s.Admin.GetOkAsync($"/api/accounts/{a}/ledger")).EnumerateArray().ToArray();
        Assert.Equal(["topup", "reading_fee"], lines.Select(l => l.Str("kind")).ToArray());
        Assert.Equal("-83.33", lines[1].Str("amount"));
        var statement = await s.Admin.GetOkAsync($"/api/accounts/{a}/statements?period=2026-03");
        var detail = Assert.Single(statement.GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "reading_fee").GetProperty("detail");
        Assert.Equal((10, 12), (detail.GetProperty("months").GetInt32(), detail.GetProperty("periodMonths").GetInt32()));

        await s.AtAsync("2027-01-01T00:30:00+08:00");
        var run = s.App.Services.GetRequiredService<Prepaid.Api.Charges.ChargeRun>();
        Assert.Equal(10_000, Assert.Single(await run.RunAsync(s.App.Time.GetUtcNow())).AmountFen);
        Assert.Empty(await run.RunAsync(s.App.Time.GetUtcNow()));
        Assert.Equal("316.67", await s.Site.BalanceAsync(a));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R34: a reading fee is annual; any other period answers 400 naming period
    public async Task ReadingFee_MonthlyPeriod_Answers400NamingPeriod_R34()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");

        var response = await s.Admin.PostAsJsonAsync("/api/charges",
            new { accountId = a, kind = "readingFee", name = "Fee", amount = "100.00", period = "month", dueDay = 1, from = "2026-12-11" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"period\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await s.ScalarAsync<long>("SELECT COUNT(*) FROM charge_agreements"));
    }

    [Fact] // the acceptance case: running the charge job twice posts nothing more; the next month is posted on its due day, once
    public async Task ChargeJobRunTwice_PostsNothingMore_R28()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "9000.00", "a-1");
        await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a), expected: HttpStatusCode.Created);

        await s.AtAsync("2027-01-01T00:30:00+08:00");
        var run = s.App.Services.GetRequiredService<Prepaid.Api.Charges.ChargeRun>();
        var first = await run.RunAsync(s.App.Time.GetUtcNow());
        var second = await run.RunAsync(s.App.Time.GetUtcNow());
        var third = (await s.OkAsync(HttpMethod.Post, "/api/charges/run", new { at = "2027-01-01T00:30:00+08:00" })).GetProperty("posted");

        Assert.Equal("2027-01", Assert.Single(first).PeriodKey);
        Assert.Equal(300_000, first[0].AmountFen);
        Assert.Empty(second);
        Assert.Equal(0, third.GetArrayLength());
        Assert.Equal(2, await s.ScalarAsync<long>("SELECT COUNT(*) FROM charges WHERE account_id = @a", new { a }));
        Assert.Equal("3967.74", await s.Site.BalanceAsync(a));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R28 with R16: a charge the balance cannot pay takes the account into arrears, and the meters are asked to trip
    public async Task RentIntoArrears_Trips_R28_R16()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "100.00", "a-1");

        await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a), expected: HttpStatusCode.Created);

        var account = await s.Admin.GetOkAsync($"/api/accounts/{a}");
        Assert.Equal("arrears", account.Str("state"));
        Assert.Equal("trip", account.Str("lastSwitchRequested"));
        Assert.Equal(1, await s.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE kind = 'switchRequested' AND meter_id = @meter AND payload_json LIKE '%\"trip\"%'",
            new { meter }));
    }

    [Fact] // R28: an agreement that never trips takes the account into arrears without a trip, also at the next reconciliation pass (R16a)
    public async Task RentThatNeverTrips_IntoArrears_NoTripAsked_NotEvenByReconciliation_R28_R16a()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "100.00", "a-1");
        await using (var c = s.Sql()) await c.ExecuteAsync("UPDATE meters SET relay_state = 'closed' WHERE id = @meter", new { meter });

        await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a, trips: false), expected: HttpStatusCode.Created);
        var pass = await s.App.Services.GetRequiredService<SwitchReconciliation>().RunAsync(s.App.Time.GetUtcNow());

        var account = await s.Admin.GetOkAsync($"/api/accounts/{a}");
        Assert.Equal("arrears", account.Str("state"));
        Assert.Equal("-1932.26", account.Str("balance"));
        Assert.Equal(JsonNull, account.GetProperty("lastSwitchRequested").ValueKind);
        Assert.Equal(0, pass.Asked);
        Assert.Equal(0, await s.ScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE kind = 'switchRequested'"));
        Assert.Equal(193_226, await s.ScalarAsync<long>("SELECT charge_arrears_fen FROM accounts WHERE id = @a", new { a }));

        // Consumption on the emptied wallet is unpaid energy: it trips; paying it brings supply back, the rent still owed.
        await s.AtAsync("2026-12-11T12:00:00+08:00");
        await s.ReadingAsync(meter, "2026-12-11T11:00:00+08:00", "1.00");
        Assert.Equal("trip", (await s.Admin.GetOkAsync($"/api/accounts/{a}")).Str("lastSwitchRequested"));
        await s.Site.TopUpAsync(a, "1.20", "a-2");
        Assert.Equal("close", (await s.Admin.GetOkAsync($"/api/accounts/{a}")).Str("lastSwitchRequested"));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R28: ending an agreement inside a period already charged credits the days no longer covered, once
    public async Task EndingAnAgreement_CreditsTheDaysNoLongerCovered_Once_R28()
    {
        using var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-11-01T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "5000.00", "a-1");
        var created = await s.OkAsync(HttpMethod.Post, "/api/charges", new
        {
            accountId = a, kind = "propertyFee", name = "Property fee 物业费", amount = "300.00", period = "month", dueDay = 1, from = "2026-11-01",
        }, expected: HttpStatusCode.Created);
        var id = created.GetProperty("agreement").Id();

        var ended = await s.OkAsync(HttpMethod.Delete, $"/api/charges/{id}?to=2026-11-16");
        await s.OkAsync(HttpMethod.Delete, $"/api/charges/{id}?to=2026-11-10", expected: HttpStatusCode.Conflict);

        // 15 of 30 days covered: 150.00 of the 300.00 comes back.
        Assert.Equal("-150.00", Assert.Single(ended.GetProperty("posted").EnumerateArray()).Str("amount"));
        Assert.Equal("ended", ended.GetProperty("agreement").Str("state"));
        Assert.Equal("4850.00", await s.Site.BalanceAsync(a));
        await s.AtAsync("2026-12-02T00:00:00+08:00");
        Assert.Equal(0, (await s.OkAsync(HttpMethod.Post, "/api/charges/run", new { at = "2026-12-02T00:00:00+08:00" })).GetProperty("posted").GetArrayLength());
        var report = await s.Admin.GetOkAsync($"/api/reports/charges?siteId={s.Site.SiteId}&from=2026-11-01&to=2026-12-01");
        Assert.Equal(["300.00", "-150.00"], report.GetProperty("rows").EnumerateArray().Select(r => r.Str("amount")));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R28: bad agreements name their field; the run refuses instants ahead of now; nothing is written
    public async Task BadAgreementsAndRuns_Answer400NamingTheField_R28()
    {
        using var s = await TenancySite.CreateAsync(December11);
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);

        Assert.Contains("dueDay", (await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a, dueDay: 32), expected: HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("amount", (await s.OkAsync(HttpMethod.Post, "/api/charges", Rent(a, amount: "0.00"), expected: HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("to", (await s.OkAsync(HttpMethod.Post, "/api/charges", new
        {
            accountId = a, kind = "rent", name = "Rent", amount = "1.00", period = "month", dueDay = 1, from = "2026-12-11", to = "2026-12-11",
        }, expected: HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("at", (await s.OkAsync(HttpMethod.Post, "/api/charges/run", new { at = "2027-01-01T00:00:00+08:00" }, expected: HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));
    }

    [Fact] // R28: the job is a Quartz job, hourly, when background work is on
    public async Task ChargesRunAsAnHourlyQuartzJob_WhenBackgroundWorkIsOn_R28()
    {
        using var app = new PrepaidApp();
        await app.AdminAsync();
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        Assert.True(await scheduler.Exists(Prepaid.Api.Charges.PostChargesJob.Key, TestContext.Current.CancellationToken));
        var trigger = await scheduler.GetTrigger(new Quartz.TriggerKey("post-charges-hourly", "charges"), TestContext.Current.CancellationToken);
        Assert.Equal(TimeSpan.FromHours(1), Assert.IsAssignableFrom<Quartz.ISimpleTrigger>(trigger).RepeatInterval);
    }

    const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
