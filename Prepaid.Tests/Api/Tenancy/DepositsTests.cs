using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Tenancy;

/// <summary>R29: deposits in their own ledger account.</summary>
public class DepositsTests
{
    [Fact] // R29: a deposit is held apart: the wallet and the state do not move; the same key takes it once
    public async Task Deposit_HeldInTheDepositsAccount_NotTheWallet_OncePerKey_R29()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-11-01T00:00:00+08:00");

        var taken = await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "800.00", channel = "cash" }, "d-1", HttpStatusCode.Created);
        var again = await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "800.00", channel = "cash" }, "d-1");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "900.00", channel = "cash" }, "d-1", HttpStatusCode.Conflict);
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "200.00", channel = "card" }, "d-2", HttpStatusCode.Created);

        Assert.Equal("800.00", taken.Str("held"));
        Assert.Equal(taken.GetProperty("depositId").GetInt64(), again.GetProperty("depositId").GetInt64());
        Assert.Equal("1000.00", (await s.Admin.GetOkAsync($"/api/accounts/{a}/deposits")).Str("held"));
        var account = await s.Admin.GetOkAsync($"/api/accounts/{a}");
        Assert.Equal("0.00", account.Str("balance"));
        Assert.Equal("alarm2", account.Str("state"));
        Assert.Equal(-100_000, await s.ScalarAsync<long>("SELECT SUM(balance_fen) FROM ledger_accounts WHERE kind IN ('clearing_cash', 'clearing_card') AND site_id = @site",
            new { site = s.Site.SiteId }));
        Assert.Contains("channel", (await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "1.00", channel = "alipay" }, "d-3",
            HttpStatusCode.BadRequest)).ErrorFields());
        await s.AssertLedgerHoldsAsync();
    }

    [Fact] // R29 with R26: a deposit returned at move-out pays the debt first
    public async Task DepositAtMoveOut_PaysTheDebt_R29_R26()
    {
        using var s = await TenancySite.CreateAsync();
        var meter = await s.Site.MeterAsync("E-1");
        var a = await s.AccountAsync(meter, s.Flat, "0", "2026-11-01T00:00:00+08:00");
        await s.OkAsync(HttpMethod.Post, $"/api/accounts/{a}/deposits", new { amount = "50.00", channel = "cash" }, "d-1", HttpStatusCode.Created);
        await s.ReadingAsync(meter, "2026-11-02T06:00:00+08:00", "50.00"); // 60.00: the wallet is at −60.00

        var closed = await s.CloseAsync(a, new { at = "2026-11-02T06:00:00+08:00", settle = "carryDebt" });

        Assert.Equal("50.00", closed.Str("depositReturned"));
        Assert.Equal("-10.00", closed.Str("finalBalance"));
        Assert.Equal("10.00", closed.Str("debt"));
        Assert.Equal("0.00", (await s.Admin.GetOkAsync($"/api/accounts/{a}/deposits")).Str("held"));
        await s.AssertLedgerHoldsAsync();
    }
}
