using System.Net;
using Dapper;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R22's tenancy invariants catch what they are there for: each tampering below breaks exactly its check.</summary>
public class TenancyLedgerCheckTests
{
    static async Task<(TenancySite S, long Account, long Meter)> WorldAsync()
    {
        var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 12, 11, 10, 0, 0, TimeSpan.FromHours(8)));
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "100.00", "a-1");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "300.00", channel = "cash" }, "d-1", HttpStatusCode.Created);
        await s.OkAsync(HttpMethod.Post, "/api/charges", new
        {
            accountId = a, kind = "rent", name = "Rent", amount = "3000.00", period = "month", dueDay = 1, from = "2026-12-11", tripsOnArrears = false,
        }, expected: HttpStatusCode.Created);
        var swapped = await s.OkAsync(HttpMethod.Post, $"/api/meters/{meter}/replace", new
        {
            at = "2026-12-11T09:00:00+08:00", finalReading = new { registers = new { total = "2.00" } }, newMeter = new { serial = "E-2" },
            initialReading = new { registers = new { total = "0" } },
        }, expected: HttpStatusCode.Created);
        await s.AssertLedgerHoldsAsync();
        return (s, a, swapped.GetProperty("newMeterId").GetInt64());
    }

    static async Task<string?> FirstBrokenAsync(TenancySite s) => (await s.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("firstBroken").GetString();

    [Theory]
    [InlineData("UPDATE account_meters SET carried_fen = 0 WHERE replaces_id IS NOT NULL", "meter debits equal rounded exact cost")]
    [InlineData("UPDATE deposits SET amount_fen = amount_fen + 1", "deposits held equal the deposits ledger")]
    [InlineData("UPDATE charges SET amount_fen = amount_fen + 1", "charges equal their postings")]
    [InlineData("UPDATE accounts SET charge_arrears_fen = -1", "charge arrears within the debt")]
    [InlineData("UPDATE ledger_accounts SET balance_fen = balance_fen - 5 WHERE kind = 'tenant_debts'; UPDATE ledger_accounts SET balance_fen = balance_fen + 5 WHERE kind = 'rent_income'",
        "stored balances equal postings")]
    public async Task TamperedTenancyData_BreaksItsInvariant_R22(string tamper, string broken)
    {
        var (s, _, _) = await WorldAsync();
        using var _s = s;
        await using (var c = s.Sql()) await c.ExecuteAsync(tamper);
        Assert.Equal(broken, await FirstBrokenAsync(s));
    }
}
