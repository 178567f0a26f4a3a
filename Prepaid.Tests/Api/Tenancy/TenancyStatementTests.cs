using System.Net;
using Prepaid.Api.Common;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R36 over tenancy: a statement explains recurring charges by their days and the move-out's own lines, and still adds up.</summary>
public class TenancyStatementTests
{
    [Fact]
    public async Task Statement_ExplainsRentByItsDays_AndTheMoveOutLines_AndAddsUp_R28_R26_R36()
    {
        using var s = await TenancySite.CreateAsync(new DateTimeOffset(2026, 12, 11, 10, 0, 0, TimeSpan.FromHours(8)));
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-12-11T00:00:00+08:00");
        await s.Site.TopUpAsync(a, "2500.00", "a-1");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "300.00", channel = "cash" }, "d-1", HttpStatusCode.Created);
        await s.OkAsync(HttpMethod.Post, "/api/charges", new
        {
            accountId = a, kind = "rent", name = "Rent 房租", amount = "3000.00", period = "month", dueDay = 1, from = "2026-12-11", tripsOnArrears = false,
        }, expected: HttpStatusCode.Created);
        await s.AtAsync("2026-12-21T10:00:00+08:00");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/close", new
        {
            at = "2026-12-21T09:00:00+08:00", finalReadings = new[] { new { meterId = meter, registers = new { total = "3" } } }, settle = "cash",
        });

        var statement = await s.Admin.GetOkAsync($"/api/accounts/{a}/statements?from=2026-12-01&to=2027-01-01");
        var lines = statement.GetProperty("lines").EnumerateArray().ToList();
        var rents = lines.Where(l => l.Str("kind") == "rent").ToList();
        Assert.Equal(2, rents.Count);
        Assert.Equal("-2032.26", rents[0].Str("amount"));
        Assert.Contains("3000.00 × 21/31 days = 2032.26", rents[0].Str("explanation"));
        Assert.Equal(21, rents[0].GetProperty("detail").GetProperty("days").GetInt32());
        Assert.Equal("2026-12", rents[0].GetProperty("detail").Str("period"));
        // The move-out ends the agreement: the days not lived there come back, and what stays is the pro rata of the days that were (R28).
        Assert.Contains("ended early", rents[1].Str("explanation"));
        var days = rents[1].GetProperty("detail").GetProperty("days").GetInt32();
        var kept = -(ApiFormat.ParseDecimal(rents[0].Str("amount")) + ApiFormat.ParseDecimal(rents[1].Str("amount")));
        Assert.Equal(decimal.Round(3000m * days / 31, 2, MidpointRounding.AwayFromZero), kept);
        var deposit = Assert.Single(lines, l => l.Str("kind") == "deposit_return");
        Assert.Equal("300.00", deposit.Str("amount"));
        Assert.StartsWith("Deposit returned at move-out", deposit.Str("explanation"));
        var cash = Assert.Single(lines, l => l.Str("kind") == "cash_out");
        Assert.StartsWith("Balance paid out in cash at move-out", cash.Str("explanation"));
        Assert.DoesNotContain(lines, l => l.Str("explanation").StartsWith(l.Str("kind") + " ", StringComparison.Ordinal)); // none unexplained
        Assert.All(lines, l => Assert.True(Prepaid.Api.Statements.StatementLabels.InChinese.KindName(l.Str("kind")) != l.Str("kind"), $"no printed name for {l.Str("kind")}"));

        var sum = lines.Sum(l => ApiFormat.ParseDecimal(l.Str("amount")));
        Assert.Equal(ApiFormat.ParseDecimal(statement.Str("closingBalance")), ApiFormat.ParseDecimal(statement.Str("openingBalance")) + sum);
        Assert.Equal("0.00", statement.Str("closingBalance"));
        await s.AssertLedgerHoldsAsync();
    }
}
