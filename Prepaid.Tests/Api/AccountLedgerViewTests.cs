using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// GET /api/accounts/{id}/ledger: the wallet's lines newest first, each balanceAfter computed backward from the stored
/// balance in the order shown (R36's rule, R22: the stored balance is the sum of the lines), also across pages.
/// </summary>
public class AccountLedgerViewTests
{
    [Fact]
    public async Task LedgerView_BalanceAfter_IsConsistentWithTheOrderShown_AcrossPages_R22_R36()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.6853");
        var meter = await site.MeterAsync("E-1");
        var account = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00", serviceFeeRate: "0.05")).Id();
        // The top-ups are posted at the clock's now (2 November), after the readings' instants (1 November) they precede in the rows.
        await site.TopUpAsync(account, "33.33", "t1");
        await site.ReadingsAsync(
            new { serial = "E-1", at = "2026-11-01T01:00:00+08:00", registers = new { total = "1.01" } },
            new { serial = "E-1", at = "2026-11-01T02:00:00+08:00", registers = new { total = "2.37" } });
        await site.TopUpAsync(account, "5.00", "t2");
        await site.ReadingsAsync(new { serial = "E-1", at = "2026-11-01T03:00:00+08:00", registers = new { total = "9.99" } });

        var lines = (await admin.GetOkAsync($"/api/accounts/{account}/ledger?limit=500")).EnumerateArray().ToArray();
        Assert.Equal(["topup", "topup", "consumption", "consumption", "consumption"], lines.Select(l => l.Str("kind")).ToArray());
        var at = lines.Select(l => DateTimeOffset.Parse(l.Str("at"))).ToArray();
        Assert.Equal(at.OrderByDescending(t => t), at);
        Assert.Equal(lines.Length, lines.Select(l => l.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.Equal(await site.BalanceAsync(account), lines[0].Str("balanceAfter"));
        for (var i = 0; i + 1 < lines.Length; i++)
            Assert.Equal(decimal.Parse(lines[i + 1].Str("balanceAfter")), decimal.Parse(lines[i].Str("balanceAfter")) - decimal.Parse(lines[i].Str("amount")));
        // The account opened with nothing: the oldest line's balance before it is zero.
        Assert.Equal(0m, decimal.Parse(lines[^1].Str("balanceAfter")) - decimal.Parse(lines[^1].Str("amount")));

        var page = (await admin.GetOkAsync($"/api/accounts/{account}/ledger?offset=2&limit=3")).EnumerateArray().ToArray();
        Assert.Equal(lines[2..5].Select(l => (l.Str("key"), l.Str("amount"), l.Str("balanceAfter"))), page.Select(l => (l.Str("key"), l.Str("amount"), l.Str("balanceAfter"))));
    }
}
