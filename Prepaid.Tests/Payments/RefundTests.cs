using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>Refunds of unused balance through the order's channel: own idempotency, held at once (R25), never below zero.</summary>
public class RefundTests
{
    static async Task<(PaymentsSite Site, string No)> PaidAsync(string channel)
    {
        var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("100.00", channel, channel == "alipay" ? "qr" : "native"));
        var response = channel == "alipay" ? await s.DeliverAlipayAsync(s.App.Alipay.Pay(no)) : await s.DeliverWeChatAsync(s.App.WeChat.Pay(no));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("95.00", await s.BalanceAsync());
        return (s, no);
    }

    static async Task<HttpResponseMessage> RefundAsync(PaymentsSite s, string no, string amount, string key, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{s.Account}/refunds") { Content = JsonContent.Create(new { outTradeNo = no, amount }) };
        request.Headers.Add("Idempotency-Key", key);
        return await (client ?? s.Admin).SendAsync(request);
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("wechat")]
    public async Task Refund_Partial_GoesBackThroughTheChannelAndDebitsTheWallet_R25(string channel)
    {
        var (s, no) = await PaidAsync(channel);
        using var _s = s;
        var response = await RefundAsync(s, no, "30.00", "r-1");
        PaymentsSite.AssertStatus(response, HttpStatusCode.Created);
        var refund = await response.ReadJsonAsync();
        Assert.Equal("succeeded", refund.Str("state"));
        Assert.Equal("65.00", await s.BalanceAsync());
        if (channel == "alipay") Assert.Equal(30m, s.App.Alipay.Trades[no].RefundedYuan);
        else Assert.Equal(3000, s.App.WeChat.Orders[no].RefundedFen);
        var ledger = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/ledger")).EnumerateArray().First();
        Assert.Equal("refund", ledger.Str("kind"));
        Assert.Equal("-30.00", ledger.Str("amount"));
        Assert.Equal($"refund:{channel}:{refund.Str("outRefundNo")}", ledger.Str("key"));
        Assert.Equal("30.00", (await s.OrderStateAsync(no)).Str("refunded"));
    }

    [Fact]
    public async Task Refund_SameKeySameBody_ReturnsTheFirstAndRefundsOnce_OtherBodyIs409()
    {
        var (s, no) = await PaidAsync("wechat");
        using var _s = s;
        var first = await (await RefundAsync(s, no, "10.00", "same")).ReadJsonAsync();
        var again = await RefundAsync(s, no, "10.00", "same");
        PaymentsSite.AssertStatus(again, HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("refundId").GetInt64(), (await again.ReadJsonAsync()).GetProperty("refundId").GetInt64());
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "11.00", "same"), HttpStatusCode.Conflict);
        Assert.Equal("85.00", await s.BalanceAsync());
        Assert.Equal(1000, s.App.WeChat.Orders[no].RefundedFen);
    }

    [Fact]
    public async Task Refund_MoreThanTheWalletHolds_Answers422AndTouchesNothing()
    {
        // 100.00 paid, 95.00 credited (fee kept): refunding all 100.00 would take the wallet below zero.
        var (s, no) = await PaidAsync("alipay");
        using var _s = s;
        var response = await RefundAsync(s, no, "100.00", "too-much");
        PaymentsSite.AssertStatus(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("amount", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(0m, s.App.Alipay.Trades[no].RefundedYuan);
        // The whole balance is fine.
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "95.00", "all"), HttpStatusCode.Created);
        Assert.Equal("0.00", await s.BalanceAsync());
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "0.01", "more"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Refund_MoreThanTheOrderPaid_Answers422()
    {
        var (s, no) = await PaidAsync("wechat");
        using var _s = s;
        await s.Site.TopUpAsync(s.Account, "500.00", "counter-1");
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "60.00", "a"), HttpStatusCode.Created);
        var response = await RefundAsync(s, no, "50.00", "b");
        PaymentsSite.AssertStatus(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("amount", (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Refund_ConcurrentRequests_NeverExceedTheBalance()
    {
        var (s, no) = await PaidAsync("alipay");
        using var _s = s;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => RefundAsync(s, no, "30.00", $"c-{i}")));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal("5.00", await s.BalanceAsync());
        Assert.Equal(90m, s.App.Alipay.Trades[no].RefundedYuan);
    }

    [Fact]
    public async Task Refund_UnpaidOrder_Is409_UnknownOrder404_NoKey400_Tenant403()
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("10.00", "alipay", "qr"));
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "1.00", "k"), HttpStatusCode.Conflict);
        PaymentsSite.AssertStatus(await RefundAsync(s, "PPNOSUCHORDER000000001", "1.00", "k2"), HttpStatusCode.NotFound);
        var noKey = await s.Admin.PostAsJsonAsync($"/api/accounts/{s.Account}/refunds", new { outTradeNo = no, amount = "1.00" });
        Assert.Contains("Idempotency-Key", (await noKey.ReadJsonAsync()).ErrorFields());
        PaymentsSite.AssertStatus(await RefundAsync(s, no, "1.00", "k3", s.Tenant), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Refund_ChannelAnswerLost_StaysPendingAndTheJobFinishesIt()
    {
        var (s, no) = await PaidAsync("alipay");
        using var _s = s;
        // The refund reached the channel but its answer was lost: we only know it is pending; its amount is held.
        s.App.Alipay.LoseRefundAnswers = true;
        var response = await RefundAsync(s, no, "20.00", "lost");
        s.App.Alipay.LoseRefundAnswers = false;
        PaymentsSite.AssertStatus(response, HttpStatusCode.Accepted);
        Assert.Equal("75.00", await s.BalanceAsync());
        Assert.Equal(20m, s.App.Alipay.Trades[no].RefundedYuan);
        s.App.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await s.App.RunPendingJobAsync()).RefundsSettled);
        Assert.Equal("75.00", await s.BalanceAsync());
        Assert.Equal(0, (await s.App.RunPendingJobAsync()).RefundsSettled);
        Assert.Equal(20m, s.App.Alipay.Trades[no].RefundedYuan); // sent again with the same out_request_no: refunded once
        var refunds = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/refunds")).EnumerateArray().ToList();
        Assert.Equal("succeeded", refunds.Single().Str("state"));
    }

    [Theory]
    [InlineData("SUCCESS", "55.00", "succeeded")]
    [InlineData("ABNORMAL", "95.00", "failed")]
    public async Task Refund_WeChatRefundNotification_SettlesAPendingRefundOnce(string status, string balance, string state)
    {
        var (s, no) = await PaidAsync("wechat");
        using var _s = s;
        s.App.WeChat.RefundsProcessing = true;
        var response = await RefundAsync(s, no, "40.00", "p");
        s.App.WeChat.RefundsProcessing = false;
        PaymentsSite.AssertStatus(response, HttpStatusCode.Accepted);
        Assert.Equal("55.00", await s.BalanceAsync());
        var outRefundNo = (await response.ReadJsonAsync()).Str("outRefundNo");
        var n = s.App.WeChat.FinishRefund(no, outRefundNo, status);
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        Assert.Equal(balance, await s.BalanceAsync());
        Assert.Equal(state, (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/refunds")).EnumerateArray().Single().Str("state"));
        Assert.All((await s.NotificationsAsync()).Skip(1), x => Assert.Equal("refund", x.Str("outcome")));
    }

    [Fact]
    public async Task Refund_RequestedBeforeRefundsWereHeld_CountsAgainstTheWallet_AndIsHeldWhenConfirmed_R25()
    {
        var (s, no) = await PaidAsync("wechat");
        using var _s = s;
        // A refund row as stored before migration 0005: pending, no hold posted, the answer never heard.
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={s.App.DatabasePath}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO payment_refunds (order_id, account_id, out_refund_no, idempotency_key, request_hash, amount_fen, state, created_at_ms)
                SELECT id, account_id, 'RF-OLD-0001', 'old', 'h', 2000, 'pending', {s.App.Time.GetUtcNow().ToUnixTimeMilliseconds()} FROM payment_orders WHERE out_trade_no = '{no}'
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.Equal("95.00", await s.BalanceAsync());
        // Its 20.00 is still in the wallet but promised: only 75.00 can be asked for.
        var over = await RefundAsync(s, no, "80.00", "new");
        PaymentsSite.AssertStatus(over, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("75.00", (await over.ReadJsonAsync()).GetProperty("errors").GetProperty("amount")[0].GetString());

        s.App.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await s.App.RunPendingJobAsync()).RefundsSettled);
        Assert.Equal("75.00", await s.BalanceAsync());
        var ledger = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/ledger")).EnumerateArray().ToList();
        Assert.Equal("-20.00", ledger.Single(p => p.Str("key") == "refund:wechat:RF-OLD-0001").Str("amount"));
        var check = await s.Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());
    }
}
