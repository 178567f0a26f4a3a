using System.Net;
using System.Text;
using System.Text.Json;
using Prepaid.Api.Payments;
using Prepaid.Payments.WeChatPay;
using Prepaid.Tests.Support;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

/// <summary>Issue 5 acceptance for WeChat Pay: genuine notifications credit once; forged, tampered, stale, probe and unknown ones credit nothing and are on record.</summary>
public class WeChatNotificationTests
{
    static async Task<(PaymentsSite Site, string No)> OrderAsync(string amount = "100.00", string method = "native")
    {
        var s = await PaymentsSite.CreateAsync();
        return (s, PaymentsSite.No(await s.OrderAsync(amount, "wechat", method)));
    }

    static async Task AssertNothingCreditedAsync(PaymentsSite s, string no, string outcome, string? reason = null)
    {
        Assert.Equal("0.00", await s.BalanceAsync());
        Assert.Equal("pending", (await s.OrderStateAsync(no)).Str("state"));
        var last = (await s.NotificationsAsync())[^1];
        Assert.Equal(outcome, last.Str("outcome"));
        if (reason is not null) Assert.StartsWith(reason, last.Str("reason"));
    }

    static async Task AssertFailAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        PaymentsSite.AssertStatus(response, status);
        var body = await response.ReadJsonAsync();
        Assert.Equal("FAIL", body.Str("code"));
        Assert.False(string.IsNullOrEmpty(body.Str("message")));
    }

    // Genuine transaction JSON for the order, with one change, encrypted and signed by the gateway.
    static Prepaid.Fakes.Payments.FakeWeChatPayNotification Genuine(PaymentsSite s, string no, Func<string, string> change)
    {
        s.App.WeChat.Pay(no);
        return s.App.WeChat.Notify(change(s.App.WeChat.TransactionJson(s.App.WeChat.Orders[no])));
    }

    [Theory]
    [InlineData("native")]
    [InlineData("jsapi")]
    [InlineData("h5")]
    public async Task Notify_Genuine_CreditsOnceAndAnswers204(string method)
    {
        var (s, no) = await OrderAsync(method: method);
        using var _s = s;
        var response = await s.DeliverWeChatAsync(s.App.WeChat.Pay(no));
        PaymentsSite.AssertStatus(response, HttpStatusCode.NoContent);
        Assert.Equal("95.00", await s.BalanceAsync());
        var order = await s.OrderStateAsync(no);
        Assert.Equal("paid", order.Str("state"));
        Assert.StartsWith("42000", order.Str("channelTradeId"));
        var log = Assert.Single(await s.NotificationsAsync(no));
        Assert.Equal("credited", log.Str("outcome"));
    }

    [Fact]
    public async Task Notify_Forged_SignedWithAnotherKey_Answers4xxAndCreditsNothing()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        var headers = new Dictionary<string, string>(n.Headers, StringComparer.OrdinalIgnoreCase);
        headers[WeChatPayHeaders.SignatureName] = RsaSha256.Sign(TestKeys.Stranger,
            WeChatPayMessages.Response(headers[WeChatPayHeaders.TimestampName], headers[WeChatPayHeaders.NonceName], n.BodyBytes));
        await AssertFailAsync(await s.DeliverWeChatAsync(headers, n.Body));
        await AssertNothingCreditedAsync(s, no, "rejected", "BadSignature");
    }

    [Fact]
    public async Task Notify_BodyTamperedAfterSigning_CreditsNothing()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        var tampered = n.Body.Replace("\"event_type\":\"TRANSACTION.SUCCESS\"", "\"event_type\":\"TRANSACTION.SUCCESS\" ");
        await AssertFailAsync(await s.DeliverWeChatAsync(n.Headers, tampered));
        await AssertNothingCreditedAsync(s, no, "rejected", "BadSignature");
    }

    [Fact]
    public async Task Notify_SignedButAmountDiffersFromOrder_CreditsNothing()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = Genuine(s, no, json => json.Replace("\"total\":10000", "\"total\":100000"));
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        await AssertNothingCreditedAsync(s, no, "mismatch");
    }

    [Fact]
    public async Task Notify_SignedButForAnotherAppId_CreditsNothing()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = Genuine(s, no, json => json.Replace(s.App.WeChat.AppId, "wx0000000000000000"));
        await AssertFailAsync(await s.DeliverWeChatAsync(n));
        await AssertNothingCreditedAsync(s, no, "rejected", "AppIdMismatch");
    }

    [Fact]
    public async Task Notify_SignedButForAnotherOrderId_IsAnUnknownOrderAndCreditsNothing()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = Genuine(s, no, json => json.Replace(no, "PPNOTOURS0000000000001"));
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        Assert.Equal("0.00", await s.BalanceAsync());
        Assert.Equal("unknown_order", (await s.NotificationsAsync("PPNOTOURS0000000000001")).Single().Str("outcome"));
    }

    [Fact]
    public async Task Notify_Stale_TimestampOver300Seconds_Answers4xxThenAFreshOneCredits()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var old = s.App.WeChat.Pay(no);
        s.App.Time.Advance(TimeSpan.FromSeconds(301));
        await AssertFailAsync(await s.DeliverWeChatAsync(old));
        await AssertNothingCreditedAsync(s, no, "rejected", "StaleTimestamp");
        // WeChat Pay retries with a fresh signature: that one counts.
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(s.App.WeChat.Pay(no)), HttpStatusCode.NoContent);
        Assert.Equal("95.00", await s.BalanceAsync());
    }

    [Fact]
    public async Task Notify_SignTestProbe_Answers4xxAndIsRecordedAsProbe()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        var headers = new Dictionary<string, string>(n.Headers, StringComparer.OrdinalIgnoreCase)
        {
            [WeChatPayHeaders.SignatureName] = "WECHATPAY/SIGNTEST/" + Convert.ToBase64String(Encoding.UTF8.GetBytes("probe")),
        };
        await AssertFailAsync(await s.DeliverWeChatAsync(headers, n.Body));
        await AssertNothingCreditedAsync(s, no, "rejected", "SignatureProbe");
    }

    [Fact]
    public async Task Notify_UnknownSerial_Answers4xx()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        var headers = new Dictionary<string, string>(n.Headers, StringComparer.OrdinalIgnoreCase) { [WeChatPayHeaders.SerialName] = "PUB_KEY_ID_0NOBODY" };
        await AssertFailAsync(await s.DeliverWeChatAsync(headers, n.Body));
        await AssertNothingCreditedAsync(s, no, "rejected", "UnknownSerial");
    }

    [Fact]
    public async Task Notify_ReplayedWithinFiveMinutes_CreditsOnce()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        s.App.Time.Advance(TimeSpan.FromSeconds(90));
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), HttpStatusCode.NoContent);
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(["credited", "duplicate"], (await s.NotificationsAsync(no)).Select(x => x.Str("outcome")));
    }

    [Fact]
    public async Task Notify_SameNotification20TimesConcurrently_CreditsOnce()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        var n = s.App.WeChat.Pay(no);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.DeliverWeChatAsync(n)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(1, await s.CountPostingsAsync($"topup:wechat:{no}"));
        var outcomes = (await s.NotificationsAsync(no)).Select(x => x.Str("outcome")).ToList();
        Assert.Equal(20, outcomes.Count);
        Assert.Single(outcomes, o => o == "credited");
    }

    [Fact]
    public async Task NotificationList_ShowsRawMessagesToStaffOnly()
    {
        var (s, no) = await OrderAsync();
        using var _s = s;
        await s.DeliverWeChatAsync(s.App.WeChat.Pay(no));
        var raw = (await s.Admin.GetOkAsync($"/api/payments/notifications?raw=true&channel=wechat")).EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Object, raw.GetProperty("headers").ValueKind);
        Assert.Contains("encrypt-resource", raw.Str("body"));
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Tenant.GetAsync("/api/payments/notifications")).StatusCode);
    }
}
