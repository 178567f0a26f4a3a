using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

public class PaymentsLedgerTests
{
    /// <summary>
    /// Counter top-ups, both channels (with duplicate notifications), refunds and readings all at once on two accounts:
    /// afterwards every R22 invariant holds and each wallet equals what its postings say.
    /// </summary>
    [Fact]
    public async Task MixedConcurrentMoney_CounterChannelsRefundsReadings_LedgerCheckHolds_R22()
    {
        using var s = await PaymentsSite.CreateAsync();
        var accounts = new[] { s.Account, s.OtherAccount };
        var serials = new[] { "E-PAY-1", "E-PAY-2" };

        // Some paid orders first, so refunds have something to go back through.
        var paid = new List<(long Account, string No, string Channel)>();
        foreach (var (account, channel) in new[] { (s.Account, "alipay"), (s.OtherAccount, "wechat"), (s.Account, "wechat"), (s.OtherAccount, "alipay") })
        {
            var no = PaymentsSite.No(await s.OrderAsync("200.00", channel, channel == "alipay" ? "qr" : "native", s.Admin, account));
            var r = channel == "alipay" ? await s.DeliverAlipayAsync(s.App.Alipay.Pay(no)) : await s.DeliverWeChatAsync(s.App.WeChat.Pay(no));
            Assert.True(r.IsSuccessStatusCode);
            paid.Add((account, no, channel));
        }

        var work = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            var account = accounts[i % 2];
            work.Add(s.Site.TopUpAsync(account, $"{10 + i}.00", $"counter-{i}"));
            var channel = i % 2 == 0 ? "alipay" : "wechat";
            var n = i;
            work.Add(Task.Run(async () =>
            {
                var no = PaymentsSite.No(await s.OrderAsync($"{20 + n}.50", channel, channel == "alipay" ? "qr" : "native", s.Admin, account));
                if (channel == "alipay")
                {
                    var fields = s.App.Alipay.Pay(no);
                    await Task.WhenAll(s.DeliverAlipayAsync(fields), s.DeliverAlipayAsync(fields), s.DeliverAlipayAsync(fields));
                }
                else
                {
                    var note = s.App.WeChat.Pay(no);
                    await Task.WhenAll(s.DeliverWeChatAsync(note), s.DeliverWeChatAsync(note), s.DeliverWeChatAsync(note));
                }
            }));
        }
        foreach (var (account, no, _) in paid)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/refunds") { Content = JsonContent.Create(new { outTradeNo = no, amount = "25.00" }) };
            request.Headers.Add("Idempotency-Key", $"refund-{no}");
            work.Add(s.Admin.SendAsync(request).ContinueWith(t => Assert.Equal(HttpStatusCode.Created, t.Result.StatusCode)));
        }
        for (var m = 0; m < 2; m++)
        {
            var serial = serials[m];
            work.Add(Task.Run(async () =>
            {
                for (var h = 1; h <= 6; h++)
                    await s.Site.ReadingsAsync(new { serial, at = $"2026-11-01T{h:00}:00:00+08:00", registers = new { total = $"{h * 3.37m}" } });
            }));
        }
        await Task.WhenAll(work);

        var check = await s.Admin.GetOkAsync("/api/admin/ledger-check");
        Assert.True(check.GetProperty("ok").GetBoolean(), check.GetRawText());

        // Each channel-paid order credited exactly once, whatever the duplicates.
        foreach (var account in accounts)
        {
            var orders = (await s.Admin.GetOkAsync($"/api/accounts/{account}/payments")).EnumerateArray().ToList();
            Assert.All(orders, o => Assert.Equal("paid", o.Str("state")));
            var keys = (await s.Admin.GetOkAsync($"/api/accounts/{account}/ledger?limit=500")).EnumerateArray()
                .Where(p => p.Str("key").StartsWith("topup:alipay:") || p.Str("key").StartsWith("topup:wechat:")).Select(p => p.Str("key")).ToList();
            Assert.Equal(orders.Count, keys.Distinct().Count());
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }
    }
}
