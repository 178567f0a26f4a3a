using System.Net;
using System.Net.Http.Json;
using CsCheck;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// R25: a refund request moves its amount from the wallet to refunds pending at once; the channel's confirmation moves
/// it on to the channel's clearing account, a failure moves it back; a refund never takes the wallet below zero,
/// whatever is billed meanwhile. Both channels; answered at once, by the pending job, and by WeChat Pay's notification.
/// </summary>
public class RefundHoldTests
{
    /// <summary>How the channel's answer arrives: in the request, by the job's resend, or by a REFUND.* notification.</summary>
    public enum Answer { AtOnce, ByJob, ByNotification }

    sealed record Wallet(long Account, string Meter, long CreditedFen, string OutTradeNo);

    static int serial;

    /// <summary>A fresh account on the shared site, paid through the channel: 5 % fee, so credited = paid − round(paid × 0.05).</summary>
    static async Task<Wallet> PaidWalletAsync(PaymentsSite s, long tariff, string channel, long paidFen)
    {
        var n = Interlocked.Increment(ref serial);
        var meterSerial = $"E-R25-{n}";
        var meter = await s.Site.MeterAsync(meterSerial);
        var tenant = await s.Site.TenantAsync($"Shop R25-{n}", null, $"1370000{n:0000}");
        var account = (await s.Site.AccountAsync(tenant, [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00", serviceFeeRate: "0.05")).Id();
        var no = PaymentsSite.No(await s.OrderAsync(Yuan(paidFen), channel, channel == "alipay" ? "qr" : "native", s.Admin, account));
        var paid = channel == "alipay" ? await s.DeliverAlipayAsync(s.App.Alipay.Pay(no)) : await s.DeliverWeChatAsync(s.App.WeChat.Pay(no));
        Assert.True(paid.IsSuccessStatusCode);
        var credited = paidFen - (long)Math.Round(paidFen * 0.05m, MidpointRounding.AwayFromZero);
        Assert.Equal(Yuan(credited), await s.BalanceAsync(account));
        return new Wallet(account, meterSerial, credited, no);
    }

    static async Task<HttpResponseMessage> RefundAsync(PaymentsSite s, Wallet w, long amountFen, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{w.Account}/refunds")
        {
            Content = JsonContent.Create(new { outTradeNo = w.OutTradeNo, amount = Yuan(amountFen) }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await s.Admin.SendAsync(request);
    }

    /// <summary>Bills consumption through the readings API: flat 1.0000 per kWh from an opening of 0, so the debit is exactly the fen asked.</summary>
    static async Task<long> BillAsync(PaymentsSite s, Wallet w, long fen)
    {
        if (fen == 0) return 0;
        var outcome = (await s.Site.ReadingsAsync(new { serial = w.Meter, at = "2026-11-02T07:00:00+08:00", registers = new { total = Yuan(fen) } }))[0];
        Assert.Equal("billed", outcome.Str("status"));
        return fen;
    }

    static string Yuan(long fen) => (fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    static long Fen(string yuan) => (long)(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture) * 100);

    /// <summary>R16 as the rules state it, with the test site's thresholds (alarm 1 at 20.00, alarm 2 at 10.00, no overdraft).</summary>
    static string ExpectedState(long balanceFen) => balanceFen < 0 ? "arrears" : balanceFen <= 1_000 ? "alarm2" : balanceFen <= 2_000 ? "alarm1" : "normal";

    static async Task<long?> SiteLedgerBalanceAsync(PaymentsSite s, string kind)
    {
        await using var c = new SqliteConnection($"Data Source={s.App.DatabasePath}");
        return await c.ExecuteScalarAsync<long?>("SELECT balance_fen FROM ledger_accounts WHERE site_id = @site AND kind = @kind AND account_id IS NULL",
            new { site = s.Site.SiteId, kind });
    }

    static async Task<string> RefundStateAsync(PaymentsSite s, Wallet w) =>
        (await s.Admin.GetOkAsync($"/api/accounts/{w.Account}/refunds")).EnumerateArray().First().Str("state");

    static async Task<string> LatestOutRefundNoAsync(PaymentsSite s, Wallet w) =>
        (await s.Admin.GetOkAsync($"/api/accounts/{w.Account}/refunds")).EnumerateArray().First().Str("outRefundNo");

    /// <summary>
    /// Every posting of a refund that debits the wallet left it at zero or above when it was posted (R25): the balance its
    /// row stored then. (The ledger view's balanceAfter is the balance at the line's instant, in instant order, which a
    /// reading timed before the refund but billed after it lowers.)
    /// </summary>
    static async Task AssertNoRefundDebitBelowZeroAsync(PaymentsSite s, Wallet w)
    {
        await using var c = new SqliteConnection($"Data Source={s.App.DatabasePath}");
        var refundDebits = (await c.QueryAsync<(string Key, long AfterFen)>("""
            SELECT p.transfer_key, p.debit_balance_after_fen FROM postings p JOIN accounts a ON a.id = @account AND p.debit_ledger_id = a.wallet_ledger_id
            WHERE p.transfer_key LIKE 'refund%'
            """, new { account = w.Account })).ToList();
        Assert.All(refundDebits, p => Assert.True(p.AfterFen >= 0, $"{p.Key} left the wallet at {p.AfterFen} fen"));
    }

    static async Task AssertLedgerHoldsAsync(PaymentsSite s)
    {
        var check = await s.Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());
    }

    /// <summary>
    /// Sets the fake channel up so the refund is answered the given way with the given outcome, sends the request and
    /// returns its answer; <see cref="FinishAsync"/> then delivers the channel's word for the pending paths.
    /// </summary>
    static async Task<HttpResponseMessage> RequestAsync(PaymentsSite s, Wallet w, string channel, Answer answer, bool succeeds, long amountFen, string key)
    {
        if (channel == "alipay")
        {
            s.App.Alipay.RefuseRefundsWith = succeeds ? null : "ACQ.SELLER_BALANCE_NOT_ENOUGH";
            s.App.Alipay.LoseRefundAnswers = answer == Answer.ByJob;
        }
        else
        {
            s.App.WeChat.RefuseRefundsWith = succeeds || answer != Answer.AtOnce ? null : "NOT_ENOUGH";
            s.App.WeChat.RefundsProcessing = answer != Answer.AtOnce;
        }
        try
        {
            return await RefundAsync(s, w, amountFen, key);
        }
        finally
        {
            s.App.Alipay.LoseRefundAnswers = false;
            s.App.WeChat.RefundsProcessing = false;
        }
    }

    static async Task FinishAsync(PaymentsSite s, Wallet w, string channel, Answer answer, bool succeeds)
    {
        var outRefundNo = await LatestOutRefundNoAsync(s, w);
        if (channel == "wechat")
        {
            var note = s.App.WeChat.FinishRefund(w.OutTradeNo, outRefundNo, succeeds ? "SUCCESS" : answer == Answer.ByNotification ? "ABNORMAL" : "CLOSED");
            if (answer == Answer.ByNotification)
            {
                PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(note), HttpStatusCode.NoContent);
                return;
            }
        }
        s.App.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await s.App.RunPendingJobAsync()).RefundsSettled);
        s.App.Alipay.RefuseRefundsWith = null;
    }

    [Theory]
    [InlineData("alipay", Answer.ByJob)]
    [InlineData("wechat", Answer.ByJob)]
    [InlineData("wechat", Answer.ByNotification)]
    public async Task Refund_ConsumptionBilledWhilePending_TheRefundNeverTakesTheWalletBelowZero_R25(string channel, Answer answer)
    {
        using var s = await PaymentsSite.CreateAsync();
        var tariff = await s.Site.FlatTariffAsync();
        var w = await PaidWalletAsync(s, tariff, channel, 10_000); // 95.00 in the wallet

        PaymentsSite.AssertStatus(await RequestAsync(s, w, channel, answer, true, 8_000, "r25"), HttpStatusCode.Accepted);
        // The request took the 80.00 out of the wallet at once: what is left is what consumption can use.
        Assert.Equal("15.00", await s.BalanceAsync(w.Account));
        Assert.Equal("alarm1", (await s.Admin.GetOkAsync($"/api/accounts/{w.Account}")).Str("state"));
        Assert.Equal(8_000, await SiteLedgerBalanceAsync(s, "refunds_pending"));

        // 30.00 of consumption while the channel thinks: more than is left, so the reading (not the refund) owes it.
        await BillAsync(s, w, 3_000);
        Assert.Equal("-15.00", await s.BalanceAsync(w.Account));
        var clearingBefore = await SiteLedgerBalanceAsync(s, $"clearing_{channel}");

        await FinishAsync(s, w, channel, answer, true);
        Assert.Equal("succeeded", await RefundStateAsync(s, w));
        Assert.Equal("-15.00", await s.BalanceAsync(w.Account)); // the confirmation does not touch the wallet
        Assert.Equal(0, await SiteLedgerBalanceAsync(s, "refunds_pending"));
        Assert.Equal(clearingBefore + 8_000, await SiteLedgerBalanceAsync(s, $"clearing_{channel}"));
        await AssertNoRefundDebitBelowZeroAsync(s, w);
        await AssertLedgerHoldsAsync(s);
    }

    [Theory]
    [InlineData("alipay", Answer.AtOnce)]
    [InlineData("alipay", Answer.ByJob)]
    [InlineData("wechat", Answer.AtOnce)]
    [InlineData("wechat", Answer.ByJob)]
    [InlineData("wechat", Answer.ByNotification)]
    public async Task Refund_RefusedByTheChannel_ReturnsTheHeldAmountToTheWallet_R25(string channel, Answer answer)
    {
        using var s = await PaymentsSite.CreateAsync();
        var tariff = await s.Site.FlatTariffAsync();
        var w = await PaidWalletAsync(s, tariff, channel, 10_000);

        var response = await RequestAsync(s, w, channel, answer, false, 6_000, "refused");
        if (answer == Answer.AtOnce)
        {
            PaymentsSite.AssertStatus(response, HttpStatusCode.UnprocessableEntity);
        }
        else
        {
            PaymentsSite.AssertStatus(response, HttpStatusCode.Accepted);
            Assert.Equal("35.00", await s.BalanceAsync(w.Account));
            await BillAsync(s, w, 1_000);
            await FinishAsync(s, w, channel, answer, false);
        }
        Assert.Equal("failed", await RefundStateAsync(s, w));
        Assert.Equal(answer == Answer.AtOnce ? "95.00" : "85.00", await s.BalanceAsync(w.Account));
        Assert.Equal(0, await SiteLedgerBalanceAsync(s, "refunds_pending"));
        var ledger = (await s.Admin.GetOkAsync($"/api/accounts/{w.Account}/ledger")).EnumerateArray().ToList();
        var outRefundNo = await LatestOutRefundNoAsync(s, w);
        // The money went out and came back: two postings of the wallet, one transfer each.
        Assert.Equal("60.00", ledger.Single(p => p.Str("key") == $"refund-returned:{channel}:{outRefundNo}").Str("amount"));
        Assert.Equal("-60.00", ledger.Single(p => p.Str("key") == $"refund:{channel}:{outRefundNo}").Str("amount"));
        await AssertLedgerHoldsAsync(s);
    }

    [Fact]
    public async Task Refund_OfTheWholeBalance_LeavesZero_AlarmButNeverArrears_AndAnotherIs422_R25()
    {
        using var s = await PaymentsSite.CreateAsync();
        var tariff = await s.Site.FlatTariffAsync();
        var w = await PaidWalletAsync(s, tariff, "wechat", 10_000);

        PaymentsSite.AssertStatus(await RequestAsync(s, w, "wechat", Answer.ByNotification, true, 9_500, "all"), HttpStatusCode.Accepted);
        var account = await s.Admin.GetOkAsync($"/api/accounts/{w.Account}");
        Assert.Equal("0.00", account.Str("balance"));
        Assert.Equal("alarm2", account.Str("state"));
        // Nothing is left to refund while the first is pending: the wallet shows it and the request is refused.
        var more = await RefundAsync(s, w, 1, "more");
        PaymentsSite.AssertStatus(more, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("amount", (await more.ReadJsonAsync()).ErrorFields());
        await FinishAsync(s, w, "wechat", Answer.ByNotification, true);
        Assert.Equal("0.00", await s.BalanceAsync(w.Account));
        await AssertLedgerHoldsAsync(s);
    }

    [Fact]
    public async Task LedgerCheck_RefundsPendingNotMatchingItsHeldRefunds_NamesTheInvariant_R25()
    {
        using var s = await PaymentsSite.CreateAsync();
        var tariff = await s.Site.FlatTariffAsync();
        var w = await PaidWalletAsync(s, tariff, "wechat", 10_000);
        PaymentsSite.AssertStatus(await RequestAsync(s, w, "wechat", Answer.ByNotification, true, 3_000, "k"), HttpStatusCode.Accepted);
        await AssertLedgerHoldsAsync(s);
        await using (var c = new SqliteConnection($"Data Source={s.App.DatabasePath}"))
            await c.ExecuteAsync("UPDATE payment_refunds SET amount_fen = amount_fen + 1 WHERE state = 'pending'");
        var check = await s.Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.False(check.GetProperty("ok").GetBoolean());
        Assert.Equal("refunds pending equal held refunds", check.Str("firstBroken"));
    }

    [Fact]
    public async Task Refund_AnyAmountAnyConsumptionAnyAnswer_WalletFollowsTheHold_AndNoRefundDebitGoesBelowZero_R25()
    {
        using var s = await PaymentsSite.CreateAsync();
        var tariff = await s.Site.FlatTariffAsync();
        var paths = new (string Channel, Answer Answer)[]
        {
            ("alipay", Answer.AtOnce), ("alipay", Answer.ByJob), ("wechat", Answer.AtOnce), ("wechat", Answer.ByJob), ("wechat", Answer.ByNotification),
        };
        var gen = Gen.Select(Gen.Int[0, paths.Length - 1], Gen.Long[100, 50_000], Gen.Double[0.0, 1.0], Gen.Long[0, 30_000], Gen.Bool);
        await gen.SampleAsync(async (path, paidFen, share, consumptionFen, succeeds) =>
        {
            var (channel, answer) = paths[path];
            var w = await PaidWalletAsync(s, tariff, channel, paidFen);
            var refundFen = Math.Max(1, (long)(w.CreditedFen * share));
            var clearingBefore = await SiteLedgerBalanceAsync(s, $"clearing_{channel}");

            var response = await RequestAsync(s, w, channel, answer, succeeds, refundFen, $"p-{w.Account}");
            var held = answer != Answer.AtOnce || succeeds;
            PaymentsSite.AssertStatus(response, answer != Answer.AtOnce ? HttpStatusCode.Accepted : succeeds ? HttpStatusCode.Created : HttpStatusCode.UnprocessableEntity);
            var afterRequest = w.CreditedFen - (held ? refundFen : 0);
            var account = await s.Admin.GetOkAsync($"/api/accounts/{w.Account}");
            Assert.Equal(Yuan(afterRequest), account.Str("balance"));
            Assert.Equal(ExpectedState(afterRequest), account.Str("state"));
            Assert.True(afterRequest >= 0);

            var billed = await BillAsync(s, w, consumptionFen);
            if (answer != Answer.AtOnce) await FinishAsync(s, w, channel, answer, succeeds);

            Assert.Equal(succeeds ? "succeeded" : "failed", await RefundStateAsync(s, w));
            Assert.Equal(Yuan(w.CreditedFen - billed - (succeeds ? refundFen : 0)), await s.BalanceAsync(w.Account));
            Assert.Equal(0, await SiteLedgerBalanceAsync(s, "refunds_pending"));
            Assert.Equal(clearingBefore + (succeeds ? refundFen : 0), await SiteLedgerBalanceAsync(s, $"clearing_{channel}"));
            await AssertNoRefundDebitBelowZeroAsync(s, w);
            await AssertLedgerHoldsAsync(s);
        }, iter: 25, threads: 1);
    }
}
