using System.Net;
using Prepaid.Api.Payments;
using Prepaid.Payments.Alipay;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>Issue 5 acceptance for Alipay: genuine notifications credit once (R15 fee applied); nothing else credits, and all are on record.</summary>
public class AlipayNotificationTests
{
    static async Task<(PaymentsSite Site, string No, FakeAlipayTrade Trade)> OrderAsync(string amount = "100.00")
    {
        var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync(amount, "alipay", "qr"));
        return (s, no, s.App.Alipay.Trades[no]);
    }

    static List<KeyValuePair<string, string>> Replace(IEnumerable<KeyValuePair<string, string>> fields, string key, string value) =>
        fields.Select(f => f.Key == key ? KeyValuePair.Create(key, value) : f).ToList();

    static async Task AssertNothingCreditedAsync(PaymentsSite s, string no, string outcome, string? reason = null)
    {
        Assert.Equal("0.00", await s.BalanceAsync());
        Assert.Equal("pending", (await s.OrderStateAsync(no)).Str("state"));
        var log = await s.NotificationsAsync();
        var last = log[^1];
        Assert.Equal(outcome, last.Str("outcome"));
        if (reason is not null) Assert.StartsWith(reason, last.Str("reason"));
    }

    [Fact]
    public async Task Notify_Genuine_CreditsAmountLessFeeOnceAndAnswersSuccess()
    {
        var (s, no, _) = await OrderAsync();
        using var _s = s;
        var response = await s.DeliverAlipayAsync(s.App.Alipay.Pay(no));
        Assert.Equal("success", await PaymentsSite.TextAsync(response));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("95.00", await s.BalanceAsync());
        var order = await s.OrderStateAsync(no);
        Assert.Equal("paid", order.Str("state"));
        Assert.Equal("notification", order.Str("paidVia"));
        Assert.Equal(1, await s.CountPostingsAsync($"topup:alipay:{no}"));
        var log = Assert.Single(await s.NotificationsAsync());
        Assert.Equal("verified", log.Str("verification"));
        Assert.Equal("credited", log.Str("outcome"));
    }

    [Fact]
    public async Task Notify_Forged_SignedWithAnotherKey_CreditsNothingAndIsRecorded()
    {
        var (s, no, trade) = await OrderAsync();
        using var _s = s;
        var fields = s.App.Alipay.NotificationFields(trade);
        fields["trade_status"] = AlipayTradeStatus.Success;
        var forged = fields.ToList();
        forged.Add(KeyValuePair.Create("sign_type", "RSA2"));
        forged.Add(KeyValuePair.Create("sign", AlipaySignature.Sign(TestKeys.Stranger, AlipaySignature.SigningString(fields, AlipaySignature.NotificationExclusions))));
        Assert.Equal("fail", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(forged)));
        await AssertNothingCreditedAsync(s, no, "rejected", "BadSignature");
    }

    [Theory]
    [InlineData("total_amount", "1.00")]
    [InlineData("app_id", "2021999999999999")]
    [InlineData("trade_status", "TRADE_SUCCESS ")]
    public async Task Notify_TamperedAfterSigning_CreditsNothingAndIsRecorded(string field, string value)
    {
        var (s, no, _) = await OrderAsync();
        using var _s = s;
        var tampered = Replace(s.App.Alipay.Pay(no), field, value);
        Assert.Equal("fail", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(tampered)));
        await AssertNothingCreditedAsync(s, no, "rejected", "BadSignature");
    }

    [Fact]
    public async Task Notify_TamperedOrderId_PointingAtAnotherOrder_CreditsNeither()
    {
        var (s, no, _) = await OrderAsync();
        using var _s = s;
        var other = PaymentsSite.No(await s.OrderAsync("5.00", "alipay", "qr"));
        var tampered = Replace(s.App.Alipay.Pay(no), "out_trade_no", other);
        Assert.Equal("fail", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(tampered)));
        Assert.Equal("0.00", await s.BalanceAsync());
        Assert.Equal("pending", (await s.OrderStateAsync(other)).Str("state"));
    }

    [Fact]
    public async Task Notify_SignedByAlipayButAmountDiffersFromOrder_CreditsNothing()
    {
        var (s, no, trade) = await OrderAsync();
        using var _s = s;
        var fields = s.App.Alipay.NotificationFields(trade);
        fields["trade_status"] = AlipayTradeStatus.Success;
        fields["total_amount"] = "1000.00";
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(fields))));
        await AssertNothingCreditedAsync(s, no, "mismatch");
    }

    [Fact]
    public async Task Notify_SignedByAlipayForAnotherApp_CreditsNothing()
    {
        var (s, no, trade) = await OrderAsync();
        using var _s = s;
        var fields = s.App.Alipay.NotificationFields(trade);
        fields["trade_status"] = AlipayTradeStatus.Success;
        fields["app_id"] = "2021999999999999";
        Assert.Equal("fail", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(fields))));
        await AssertNothingCreditedAsync(s, no, "rejected", "AppIdMismatch");
    }

    [Fact]
    public async Task Notify_UnknownOrder_CreditsNothingAndIsRecorded()
    {
        var (s, _, _) = await OrderAsync();
        using var _s = s;
        var stranger = new FakeAlipayTrade("PPNOTOURS0000000000001", "2026110222001000000000001", 100m, "x", null);
        var fields = s.App.Alipay.NotificationFields(stranger);
        fields["trade_status"] = AlipayTradeStatus.Success;
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(fields))));
        Assert.Equal("0.00", await s.BalanceAsync());
        var log = Assert.Single(await s.NotificationsAsync("PPNOTOURS0000000000001"));
        Assert.Equal("unknown_order", log.Str("outcome"));
    }

    [Fact]
    public async Task Notify_WaitBuyerPay_CreditsNothing()
    {
        var (s, no, trade) = await OrderAsync();
        using var _s = s;
        var fields = s.App.Alipay.NotificationFields(trade);
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(fields))));
        await AssertNothingCreditedAsync(s, no, "not_paid");
    }

    [Fact]
    public async Task Notify_Replayed_AndTradeFinishedLater_CreditOnlyOnce()
    {
        var (s, no, trade) = await OrderAsync();
        using var _s = s;
        var genuine = s.App.Alipay.Pay(no);
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(genuine)));
        s.App.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(genuine)));
        var finished = s.App.Alipay.NotificationFields(trade);
        finished["trade_status"] = AlipayTradeStatus.Finished;
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(finished))));
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(["credited", "duplicate", "duplicate"], (await s.NotificationsAsync(no)).Select(n => n.Str("outcome")));
    }

    [Fact]
    public async Task Notify_SameNotification20TimesConcurrently_CreditsOnce()
    {
        var (s, no, _) = await OrderAsync();
        using var _s = s;
        var genuine = s.App.Alipay.Pay(no);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(genuine))));
        Assert.All(answers, a => Assert.Equal("success", a));
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(1, await s.CountPostingsAsync($"topup:alipay:{no}"));
        var outcomes = (await s.NotificationsAsync(no)).Select(n => n.Str("outcome")).ToList();
        Assert.Equal(20, outcomes.Count);
        Assert.Single(outcomes, o => o == "credited");
        Assert.Equal(19, outcomes.Count(o => o == "duplicate"));
    }

    [Fact]
    public async Task Notify_NotAForm_IsRecordedAsRejected()
    {
        var (s, _, _) = await OrderAsync();
        using var _s = s;
        using var anonymous = s.App.CreateClient();
        var response = await anonymous.PostAsync("/api/payments/alipay/notify", new StringContent("{\"hello\":1}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("fail", await response.Content.ReadAsStringAsync());
        Assert.Equal("rejected", (await s.NotificationsAsync()).Single().Str("outcome"));
    }
}
