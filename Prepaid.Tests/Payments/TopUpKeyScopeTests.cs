using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// R21: each top-up's idempotency key names its source. The counter takes counter channels only and its keys are scoped
/// to the account; a channel's payment is keyed by channel and out_trade_no; nothing a cashier types reaches a channel's key.
/// </summary>
public class TopUpKeyScopeTests
{
    static async Task<HttpResponseMessage> CounterAsync(HttpClient client, long account, string amount, string channel, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/topups") { Content = JsonContent.Create(new { amount, channel }) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    static async Task<HttpClient> CashierAsync(PaymentsSite s)
    {
        await s.Admin.PostOkAsync("/api/users", new { username = "till-1", password = "cashier-pass-1", role = "cashier", siteIds = new[] { s.Site.SiteId } });
        return await s.App.SignInAsync("till-1", "cashier-pass-1");
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("wechat")]
    public async Task CounterTopUp_WithAPaymentChannel_Is400NamingChannel_R21(string channel)
    {
        using var s = await PaymentsSite.CreateAsync();
        using var cashier = await CashierAsync(s);
        var response = await CounterAsync(cashier, s.Account, "10.00", channel, "typed-1");
        PaymentsSite.AssertStatus(response, HttpStatusCode.BadRequest);
        Assert.Contains("channel", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Equal("0.00", await s.BalanceAsync());
    }

    [Theory]
    [InlineData(101)]
    [InlineData(4000)]
    [InlineData(-1)] // a space inside
    public async Task IdempotencyKeyHeader_OfTheWrongShape_Is400NamingIt_NothingCredited_R21(int length)
    {
        using var s = await PaymentsSite.CreateAsync();
        var key = length < 0 ? "till 7" : new string('k', length);
        var response = await CounterAsync(s.Admin, s.Account, "10.00", "cash", key);
        PaymentsSite.AssertStatus(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Equal("0.00", await s.BalanceAsync());
        // The longest key that is allowed credits.
        PaymentsSite.AssertStatus(await CounterAsync(s.Admin, s.Account, "10.00", "cash", new string('k', 100)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task CounterKey_EqualToAPendingOutTradeNo_DoesNotCollide_TheTenantsPaymentCreditsInFull_R21()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var cashier = await CashierAsync(s);
        var no = PaymentsSite.No(await s.OrderAsync("25.00", "alipay", "qr"));

        // The attack as found: 0.01 at the counter, channel alipay, the pending order's out_trade_no as the key.
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.OtherAccount, "0.01", "alipay", no), HttpStatusCode.BadRequest);
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.Account, "0.01", "alipay", no), HttpStatusCode.BadRequest);
        // The same key on a counter channel is the cashier's own key, on the cashier's account: it credits 0.01 and nothing else.
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.Account, "0.01", "cash", no), HttpStatusCode.Created);
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.OtherAccount, "0.01", "bank", no), HttpStatusCode.Created);

        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.Pay(no))));
        // 25.00 less the 5 % fee, plus the cashier's 0.01.
        Assert.Equal("23.76", await s.BalanceAsync());
        Assert.Equal("paid", (await s.OrderStateAsync(no)).Str("state"));
        Assert.Equal("credited", (await s.NotificationsAsync(no)).Single().Str("outcome"));
        var ledger = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/ledger")).EnumerateArray().ToList();
        Assert.Equal("23.75", ledger.Single(p => p.Str("key") == $"topup:alipay:{no}").Str("amount"));
        Assert.Equal("0.01", ledger.Single(p => p.Str("key") == $"topup:counter:{s.Account}:{no}").Str("amount"));
        var check = await s.Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());
    }

    [Fact]
    public async Task CounterKeys_AreScopedToTheAccount_TheSameKeyOnTwoAccountsCreditsBoth_AndReplaysOnEach_R21()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var cashier = await CashierAsync(s);
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.Account, "10.00", "cash", "receipt-0001"), HttpStatusCode.Created);
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.OtherAccount, "20.00", "card", "receipt-0001"), HttpStatusCode.Created);
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.Account, "10.00", "cash", "receipt-0001"), HttpStatusCode.OK);
        // Within one account the key is one request whatever the channel: another body is a conflict.
        PaymentsSite.AssertStatus(await CounterAsync(cashier, s.Account, "10.00", "card", "receipt-0001"), HttpStatusCode.Conflict);
        Assert.Equal("9.50", await s.BalanceAsync());
        Assert.Equal("19.00", await s.BalanceAsync(s.OtherAccount));
    }
}
