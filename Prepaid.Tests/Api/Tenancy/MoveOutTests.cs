using System.Globalization;
using System.Net;
using Dapper;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R26: move-out at an instant T and move-in on the same meters, through POST /api/accounts/{id}/close.</summary>
public class MoveOutTests
{
    const string Opened = "2026-11-01T00:00:00+08:00";

    [Fact] // the acceptance case: each tenant pays exactly their own period, and together exactly what the meter's readings cost
    public async Task TwoTenantsInARow_OnOneMeter_PayExactlyTheirOwnPeriods_SumIsTheWholeConsumptionPriced_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var reference = await s.Site.MeterAsync("E-REF");
        var a = await s.AccountAsync(meter, s.Tou, "100.00", Opened, "Tenant A", "13800000001");
        var whole = await s.AccountAsync(reference, s.Tou, "100.00", Opened, "Reference", "13800000009");
        var tenantB = await s.Site.TenantAsync("Tenant B", null, "13800000002");
        await s.Site.TopUpAsync(a, "500.00", "a-1");
        await s.AtAsync("2026-11-30T23:00:00+08:00");

        string[] before = ["2026-11-05T09:30:00+08:00", "2026-11-10T13:15:00+08:00"];
        string[] totals = ["123.47", "171.09"];
        for (var i = 0; i < before.Length; i++)
        {
            await s.ReadingAsync(meter, before[i], totals[i]);
            await s.ReadingAsync(reference, before[i], totals[i]);
        }
        // Move-out at T with an entered final reading; B moves in on the same meter in the same call.
        const string t = "2026-11-15T18:40:00+08:00";
        var closed = await s.CloseAsync(a, new
        {
            at = t, settle = "cash", finalReadings = new[] { new { meterId = meter, registers = new { total = "203.38" } } },
            moveIn = new { tenantId = tenantB },
        });
        await s.ReadingAsync(reference, t, "203.38");
        var b = closed.GetProperty("nextAccountId").GetInt64();
        Assert.Equal("entered", closed.GetProperty("finalReadings")[0].Str("source"));
        await s.Site.TopUpAsync(b, "500.00", "b-1");

        // A reading from before T arriving late belongs to nobody now: A is closed, B starts at T.
        var late = await s.ReadingAsync(meter, "2026-11-14T08:00:00+08:00", "190.00");
        Assert.Equal("late", late[0].Str("status"));
        string[] after = ["2026-11-20T07:05:00+08:00", "2026-11-30T21:50:00+08:00"];
        string[] afterTotals = ["222.22", "260.91"];
        for (var i = 0; i < after.Length; i++)
        {
            await s.ReadingAsync(meter, after[i], afterTotals[i]);
            await s.ReadingAsync(reference, after[i], afterTotals[i]);
        }

        var paidA = -await s.SumAsync(a, "consumption");
        var paidB = -await s.SumAsync(b, "consumption");
        var paidWhole = -await s.SumAsync(whole, "consumption");
        var exact = (await ExactCostsAsync(s, meter)).ToDictionary(x => x.AccountId, x => x.ExactCost);
        var exactWhole = (await ExactCostsAsync(s, reference)).Single().ExactCost;

        // Each tenant's debits are their own period's exact cost rounded once (R4); the two periods' exact costs add up to
        // the whole consumption priced (to decimal's 28 significant digits, where time shares divide): no gap, no overlap.
        Assert.Equal(Money.Round(exact[a]).Fen, paidA);
        Assert.Equal(Money.Round(exact[b]).Fen, paidB);
        Assert.True(Math.Abs(exactWhole - (exact[a] + exact[b])) < 0.000_000_000_000_000_001m, $"{exactWhole} ≠ {exact[a]} + {exact[b]}");
        Assert.Equal(Money.Round(exactWhole).Fen, paidWhole);
        Assert.InRange(paidA + paidB - paidWhole, -1, 1);
        // B's debits start after T: none of A's period is billed to B, none of B's to A.
        var ledgerB = (await s.Admin.GetOkAsync($"/api/accounts/{b}/ledger?limit=500")).EnumerateArray().Where(p => p.Str("kind") == "consumption");
        Assert.All(ledgerB, p => Assert.True(DateTimeOffset.Parse(p.Str("at"), CultureInfo.InvariantCulture) > DateTimeOffset.Parse(t, CultureInfo.InvariantCulture)));
        await s.AssertLedgerHoldsAsync();
    }

    static async Task<List<(long AccountId, decimal ExactCost)>> ExactCostsAsync(TenancySite s, long meterId)
    {
        await using var c = s.Sql();
        return (await c.QueryAsync<(long AccountId, string ExactCost)>("SELECT account_id, exact_cost FROM account_meters WHERE meter_id = @meterId ORDER BY id",
            new { meterId })).Select(x => (x.AccountId, decimal.Parse(x.ExactCost, CultureInfo.InvariantCulture))).ToList();
    }

    [Fact] // R26: a reading stored exactly at T is the final reading; no registers need be sent for it
    public async Task ReadingExactlyAtT_IsTheFinalReading_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "100.00", "a-1");
        await s.ReadingAsync(meter, "2026-11-02T07:00:00+08:00", "110.00"); // 12.00

        var closed = await s.CloseAsync(a, new { at = "2026-11-02T07:00:00+08:00", settle = "cash" });

        var final = closed.GetProperty("finalReadings")[0];
        Assert.Equal("stored", final.Str("source"));
        Assert.Equal("110", final.GetProperty("registers").Str("total"));
        Assert.Equal("88.00", closed.Str("finalBalance"));
        Assert.Equal("88.00", closed.Str("cashOut"));
        Assert.Equal("0.00", await s.Site.BalanceAsync(a));
        // The meter is free at once: its next reading belongs to no account and bills nothing.
        var next = await s.ReadingAsync(meter, "2026-11-02T07:30:00+08:00", "111.00");
        Assert.Equal("baseline", next[0].Str("status"));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R26: no reading at T and no way to estimate one: 400 naming finalReadings, nothing written
    public async Task NoFinalReading_AndNoEstimate_Answers400NamingFinalReadings_ChangesNothing_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);

        var problem = await s.CloseAsync(a, new { at = "2026-11-02T07:00:00+08:00", settle = "cash" }, HttpStatusCode.BadRequest);

        Assert.Contains("finalReadings", problem.ErrorFields());
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));
    }

    [Fact] // R26: T before a billed reading, or in the future, or a settlement that does not fit the balance, is refused whole
    public async Task BadInstantOrSettlement_IsRefusedNamingTheField_ChangesNothing_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "10.00", "a-1");
        await s.ReadingAsync(meter, "2026-11-02T07:00:00+08:00", "110.00"); // 12.00: the balance is −2.00
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);
        var reading = new[] { new { meterId = meter, registers = new { total = "110.00" } } };

        Assert.Contains("at", (await s.CloseAsync(a, new { at = "2026-11-02T06:00:00+08:00", settle = "carryDebt", finalReadings = reading },
            HttpStatusCode.Conflict)).ErrorFields());
        Assert.Contains("at", (await s.CloseAsync(a, new { at = "2027-01-01T00:00:00+08:00", settle = "carryDebt" }, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("settle", (await s.CloseAsync(a, new { at = "2026-11-02T07:00:00+08:00", settle = "cash" }, HttpStatusCode.UnprocessableEntity)).ErrorFields());
        Assert.Contains("settle", (await s.CloseAsync(a, new { at = "2026-11-02T07:00:00+08:00", settle = "refund" }, HttpStatusCode.UnprocessableEntity)).ErrorFields());
        // A preview answers the balance anyway, with the settlements that fit it.
        var preview = await s.CloseAsync(a, new { at = "2026-11-02T07:00:00+08:00", settle = "cash", preview = true });
        Assert.Equal("-2.00", preview.Str("finalBalance"));
        Assert.Equal(["carryDebt"], preview.GetProperty("settleOptions").EnumerateArray().Select(o => o.GetString()));
        Assert.NotNull(preview.Str("refusal"));
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));
    }

    [Fact] // R26: a negative balance is recorded as the tenant's debt, held in the site's tenant debts
    public async Task CarryDebt_RecordsTheTenantsDebt_WalletEndsAtZero_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "10.00", "a-1");
        await s.AtAsync("2026-11-03T09:00:00+08:00");

        var closed = await s.CloseAsync(a, new
        {
            at = "2026-11-03T08:00:00+08:00", settle = "carryDebt", finalReadings = new[] { new { meterId = meter, registers = new { total = "125.00" } } },
        });

        Assert.Equal("-20.00", closed.Str("finalBalance"));
        Assert.Equal("20.00", closed.Str("debt"));
        Assert.Equal("0.00", await s.Site.BalanceAsync(a));
        Assert.Equal(-2000, await s.ScalarAsync<long>("SELECT balance_fen FROM ledger_accounts WHERE kind = 'tenant_debts' AND site_id = @site",
            new { site = s.Site.SiteId }));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R26: the same close again answers the first result and posts nothing; another body is a conflict
    public async Task CloseTwice_SameRequestAnswersTheFirstResult_AnotherConflicts_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "50.00", "a-1");
        var body = new { at = "2026-11-02T07:00:00+08:00", settle = "cash", finalReadings = new[] { new { meterId = meter, registers = new { total = "105.00" } } } };

        var first = await s.CloseAsync(a, body);
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);
        var again = await s.CloseAsync(a, body);

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));
        await s.CloseAsync(a, body with { settle = "refund" }, HttpStatusCode.Conflict);
        Assert.Equal(first.GetRawText(), (await s.Admin.GetOkAsync($"/api/accounts/{a}/closure")).GetRawText());
    }

    [Fact] // R26: a preview answers the settlement a close would make and writes nothing
    public async Task Preview_AnswersTheSettlement_ChangesNothing_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "50.00", "a-1");
        var snapshot = await DatabaseSnapshot.TakeAsync(s.App.DatabasePath);

        var preview = await s.CloseAsync(a, new
        {
            at = "2026-11-02T07:00:00+08:00", settle = "cash", preview = true,
            finalReadings = new[] { new { meterId = meter, registers = new { total = "105.00" } } },
        });

        Assert.True(preview.GetProperty("preview").GetBoolean());
        Assert.Equal("44.00", preview.Str("finalBalance"));
        Assert.Equal("6.00", preview.GetProperty("finalReadings")[0].Str("amount"));
        Assert.Empty((await DatabaseSnapshot.TakeAsync(s.App.DatabasePath)).ChangesSince(snapshot));
    }

    [Fact] // R26 with R29 and R28: the deposit comes back and recurring charges are charged pro rata up to T, the rest credited back
    public async Task Close_ReturnsTheDeposit_AndChargesRecurringChargesProRataUpToT_R26_R28_R29()
    {
        using var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened);
        await s.Site.TopUpAsync(a, "5000.00", "a-1");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "1000.00", channel = "cash" }, "dep-1", HttpStatusCode.Created);
        var rent = await s.OkAsync(HttpMethod.Post, "/api/charges", new
        {
            accountId = a, kind = "rent", name = "Rent", amount = "3000.00", period = "month", dueDay = 1, from = "2026-11-01",
        }, expected: HttpStatusCode.Created);
        Assert.Equal("3000.00", rent.GetProperty("posted")[0].Str("amount")); // November in advance
        Assert.Equal("2000.00", await s.Site.BalanceAsync(a));

        await s.AtAsync("2026-11-20T10:00:00+08:00");
        var closed = await s.CloseAsync(a, new
        {
            at = "2026-11-20T10:00:00+08:00", settle = "cash", finalReadings = new[] { new { meterId = meter, registers = new { total = "110.00" } } },
        });

        // 19 nights of 30 are charged (the 1st to the 19th): 3000 × 19 / 30 = 1900.00, so 1100.00 comes back.
        var credit = Assert.Single(closed.GetProperty("charges").EnumerateArray());
        Assert.Equal("-1100.00", credit.Str("amount"));
        Assert.Equal(19, credit.GetProperty("days").GetInt64());
        Assert.Equal("1000.00", closed.Str("depositReturned"));
        // 2000.00 − 12.00 consumption + 1100.00 credit + 1000.00 deposit
        Assert.Equal("4088.00", closed.Str("finalBalance"));
        Assert.Equal("4088.00", closed.Str("cashOut"));
        Assert.Equal(0, await s.ScalarAsync<long>("SELECT balance_fen FROM ledger_accounts WHERE kind = 'deposits' AND site_id = @site", new { site = s.Site.SiteId }));
        Assert.Equal(190_000, await s.ScalarAsync<long>("SELECT balance_fen FROM ledger_accounts WHERE kind = 'rent_income' AND site_id = @site", new { site = s.Site.SiteId }));
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R26: the tenancy calendar shows who held a room from when to when
    public async Task TenancyCalendar_ShowsWhoHeldTheRoomWhen_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var room = (await s.Admin.PostOkAsync($"/api/sites/{s.Site.SiteId}/rooms", new { code = "R-101", name = "Room 101", areaM2 = "30" })).Id();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "100.00", Opened, "Tenant A", "13800000001", room);
        var b = await s.Site.TenantAsync("Tenant B", null, "13800000002");
        var closed = await s.CloseAsync(a, new
        {
            at = "2026-11-02T07:00:00+08:00", settle = "carryDebt", finalReadings = new[] { new { meterId = meter, registers = new { total = "100.00" } } },
            moveIn = new { tenantId = b },
        });

        var calendar = (await s.Admin.GetOkAsync($"/api/sites/{s.Site.SiteId}/tenancies")).EnumerateArray().Single();
        var stays = calendar.GetProperty("tenancies").EnumerateArray().ToList();
        Assert.Equal(["Tenant A", "Tenant B"], stays.Select(x => x.Str("tenantName")));
        Assert.Equal("2026-11-01T00:00:00.000+08:00", stays[0].Str("from"));
        Assert.Equal("2026-11-02T07:00:00.000+08:00", stays[0].Str("to"));
        Assert.Equal("2026-11-02T07:00:00.000+08:00", stays[1].Str("from"));
        Assert.Equal(JsonValueKindNull, stays[1].GetProperty("to").ValueKind);
        Assert.Equal(closed.GetProperty("nextAccountId").GetInt64(), stays[1].GetProperty("accountId").GetInt64());
    }

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
