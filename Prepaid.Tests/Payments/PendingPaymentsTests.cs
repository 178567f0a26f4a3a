using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>The query fallback: orders whose notification never came are credited by asking, through the same key.</summary>
public class PendingPaymentsTests
{
    [Theory]
    [InlineData("alipay", "qr")]
    [InlineData("wechat", "native")]
    public async Task Job_PaidOrderWithoutNotification_CreditsIt_ThenTheLateNotificationCreditsNothingMore(string channel, string method)
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("100.00", channel, method));
        // The tenant pays; the channel's notification is held back (lost on the way, for now).
        Func<Task<HttpResponseMessage>> late;
        if (channel == "alipay")
        {
            var fields = s.App.Alipay.Pay(no);
            late = () => s.DeliverAlipayAsync(fields);
        }
        else
        {
            var n = s.App.WeChat.Pay(no);
            late = () => s.DeliverWeChatAsync(n);
        }

        // Too young to ask about.
        Assert.Equal(0, (await s.App.RunPendingJobAsync()).Queried);
        s.App.Time.Advance(TimeSpan.FromMinutes(3));
        var run = await s.App.RunPendingJobAsync();
        Assert.Equal(1, run.Credited);
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal("query", (await s.OrderStateAsync(no)).Str("paidVia"));

        // The held-back notification arrives three minutes late (inside WeChat Pay's 300 s window).
        var response = await late();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("95.00", await s.BalanceAsync());
        Assert.Equal(1, await s.CountPostingsAsync($"topup:{channel}:{no}"));
        Assert.Equal("duplicate", (await s.NotificationsAsync(no)).Last().Str("outcome"));
        Assert.Equal(0, (await s.App.RunPendingJobAsync()).Queried);
    }

    [Fact]
    public async Task Job_UnpaidOrderPastExpiry_ClosesItAtTheChannelAndHere()
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("20.00", "wechat", "native"));
        s.App.Time.Advance(TimeSpan.FromMinutes(5));
        var young = await s.App.RunPendingJobAsync();
        Assert.Equal((1, 0, 0), (young.Queried, young.Credited, young.Expired));
        s.App.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, (await s.App.RunPendingJobAsync()).Expired);
        Assert.Equal("expired", (await s.OrderStateAsync(no)).Str("state"));
        Assert.Equal("CLOSED", s.App.WeChat.Orders[no].TradeState);
    }

    [Fact]
    public async Task Job_AlipayWapOrderNeverOpened_ExpiresWithoutError()
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("20.00", "alipay", "wap"));
        s.App.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, (await s.App.RunPendingJobAsync()).Expired);
        Assert.Equal("expired", (await s.OrderStateAsync(no)).Str("state"));
    }

    [Fact]
    public async Task Notification_ForAnExpiredOrderThatWasPaid_StillCredits()
    {
        // The tenant paid in the last second; our close lost the race. The money arrived, so it is credited.
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("30.00", "alipay", "qr"));
        var fields = s.App.Alipay.Pay(no);
        s.App.Time.Advance(TimeSpan.FromMinutes(16));
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={s.App.DatabasePath}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE payment_orders SET state = 'expired' WHERE out_trade_no = '{no}'";
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(fields)));
        Assert.Equal("28.50", await s.BalanceAsync());
        Assert.Equal("paid", (await s.OrderStateAsync(no)).Str("state"));
    }

    [Fact]
    public async Task Job_ChannelPaidAnotherAmount_CreditsNothingAndClosesTheOrderForAPerson()
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("100.00", "wechat", "native"));
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={s.App.DatabasePath}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE payment_orders SET amount_fen = 9900 WHERE out_trade_no = '{no}'";
            await cmd.ExecuteNonQueryAsync();
        }
        var n = s.App.WeChat.Pay(no);
        s.App.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, (await s.App.RunPendingJobAsync()).Credited);
        var order = await s.OrderStateAsync(no);
        Assert.Equal("closed", order.Str("state"));
        Assert.Contains("10000 fen", order.Str("failure"));
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(n), System.Net.HttpStatusCode.NoContent);
        Assert.Equal("mismatch", (await s.NotificationsAsync(no)).Single().Str("outcome"));
        Assert.Equal("0.00", await s.BalanceAsync());
        Assert.Equal(0, (await s.App.RunPendingJobAsync()).Queried);
        var all = (await s.Admin.GetOkAsync("/api/payments/orders?state=closed&channel=wechat")).EnumerateArray().ToList();
        Assert.Equal(no, Assert.Single(all).Str("outTradeNo"));
        Assert.Empty((await s.Admin.GetOkAsync("/api/payments/orders?state=paid")).EnumerateArray());
    }
}
