using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>The daily reconciliation lists every difference between a channel's records and the ledger.</summary>
public class ReconciliationTests
{
    [Fact]
    public async Task Reconcile_FindsPaidNotCredited_CreditedNotPaid_AndAmountMismatch_AsJsonAndXlsx()
    {
        using var s = await PaymentsSite.CreateAsync();
        var fine = PaymentsSite.No(await s.OrderAsync("10.00", "alipay", "qr"));
        await s.DeliverAlipayAsync(s.App.Alipay.Pay(fine));
        var lost = PaymentsSite.No(await s.OrderAsync("20.00", "alipay", "qr"));
        s.App.Alipay.Pay(lost); // paid at Alipay; the notification never arrives and the job has not run
        var unpaid = PaymentsSite.No(await s.OrderAsync("30.00", "alipay", "qr"));
        // A genuinely signed notification that says paid while the trade, asked, is not: credited, never paid.
        var claim = s.App.Alipay.NotificationFields(s.App.Alipay.Trades[unpaid]);
        claim["trade_status"] = "TRADE_SUCCESS";
        Assert.Equal("success", await PaymentsSite.TextAsync(await s.DeliverAlipayAsync(s.App.Alipay.SignNotification(claim))));
        var altered = PaymentsSite.No(await s.OrderAsync("40.00", "alipay", "qr"));
        await s.DeliverAlipayAsync(s.App.Alipay.Pay(altered));
        await using (var c = new SqliteConnection($"Data Source={s.App.DatabasePath}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE payment_orders SET amount_fen = 4100 WHERE out_trade_no = '{altered}'";
            await cmd.ExecuteNonQueryAsync();
        }
        var wechat = PaymentsSite.No(await s.OrderAsync("50.00", "wechat", "native"));
        s.App.WeChat.Pay(wechat);

        var report = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "alipay", day = "2026-11-02" });
        Assert.Equal(4, report.GetProperty("orders").GetInt32());
        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.Str("outTradeNo"), r => r.Str("kind"));
        Assert.Equal(new Dictionary<string, string>
        {
            [lost] = "paid_not_credited", [unpaid] = "credited_not_paid", [altered] = "amount_mismatch",
        }, rows);

        var stored = await s.Admin.GetOkAsync("/api/payments/reconciliations?channel=alipay&day=2026-11-02");
        Assert.Equal(3, stored.GetProperty("differences").GetInt32());
        var xlsx = await s.Admin.GetAsync("/api/payments/reconciliations?channel=alipay&day=2026-11-02&format=xlsx");
        PaymentsSite.AssertStatus(xlsx, HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var excelRows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(3, excelRows.Count);
        Assert.Contains(excelRows, r => (string)r["outTradeNo"] == lost && (string)r["kind"] == "paid_not_credited");

        var wechatReport = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "wechat", day = "2026-11-02" });
        Assert.Equal("paid_not_credited", wechatReport.GetProperty("rows").EnumerateArray().Single().Str("kind"));

        // After the job catches the lost notification, a new run no longer lists it.
        s.App.Time.Advance(TimeSpan.FromMinutes(3));
        await s.App.RunPendingJobAsync();
        var again = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "alipay", day = "2026-11-02" });
        Assert.DoesNotContain(again.GetProperty("rows").EnumerateArray(), r => r.Str("outTradeNo") == lost);
    }

    static async Task<HttpResponseMessage> RefundAsync(PaymentsSite s, string no, string amount, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{s.Account}/refunds") { Content = JsonContent.Create(new { outTradeNo = no, amount }) };
        request.Headers.Add("Idempotency-Key", key);
        return await s.Admin.SendAsync(request);
    }

    [Fact]
    public async Task Reconcile_ListsRefundsTheChannelHasNotConfirmed_AndAFullyRefundedTradeIsNoDifference_R25()
    {
        using var s = await PaymentsSite.CreateAsync();
        // All of a 100.00 Alipay payment goes back (95.00 credited plus 5.70 from the counter cover it): Alipay closes the trade.
        var full = PaymentsSite.No(await s.OrderAsync("100.00", "alipay", "qr"));
        await s.DeliverAlipayAsync(s.App.Alipay.Pay(full));
        await s.Site.TopUpAsync(s.Account, "6.00", "counter-1");
        PaymentsSite.AssertStatus(await RefundAsync(s, full, "100.00", "all"), HttpStatusCode.Created);
        Assert.Equal("TRADE_CLOSED", s.App.Alipay.Trades[full].Status);
        var alipay = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "alipay", day = "2026-11-02" });
        Assert.Empty(alipay.GetProperty("rows").EnumerateArray());

        // A WeChat Pay refund the channel is still processing: its amount is held, and the reconciliation says so.
        var held = PaymentsSite.No(await s.OrderAsync("50.00", "wechat", "native"));
        await s.DeliverWeChatAsync(s.App.WeChat.Pay(held));
        s.App.WeChat.RefundsProcessing = true;
        PaymentsSite.AssertStatus(await RefundAsync(s, held, "20.00", "part"), HttpStatusCode.Accepted);
        s.App.WeChat.RefundsProcessing = false;
        var outRefundNo = (await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/refunds")).EnumerateArray().First().Str("outRefundNo");
        var wechat = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "wechat", day = "2026-11-02" });
        var row = wechat.GetProperty("rows").EnumerateArray().Single();
        Assert.Equal("refund_pending", row.Str("kind"));
        Assert.Equal(held, row.Str("outTradeNo"));
        Assert.Contains(outRefundNo, row.Str("detail"));
        Assert.Contains("20.00", row.Str("detail"));

        // Once the channel confirms, nothing is left to list.
        PaymentsSite.AssertStatus(await s.DeliverWeChatAsync(s.App.WeChat.FinishRefund(held, outRefundNo, "SUCCESS")), HttpStatusCode.NoContent);
        var after = await s.Admin.PostOkAsync("/api/payments/reconciliations", new { channel = "wechat", day = "2026-11-02" });
        Assert.Empty(after.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task Reconciliation_BadInput_Answers400NamingTheField_AndAMissingDay404()
    {
        using var s = await PaymentsSite.CreateAsync();
        var badDay = await s.Admin.PostAsJsonAsync("/api/payments/reconciliations", new { channel = "alipay", day = "02/11/2026" });
        Assert.Contains("day", (await badDay.ReadJsonAsync()).ErrorFields());
        var badChannel = await s.Admin.GetAsync("/api/payments/reconciliations?channel=cash&day=2026-11-02");
        Assert.Contains("channel", (await badChannel.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.GetAsync("/api/payments/reconciliations?channel=wechat&day=2026-11-01")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Tenant.GetAsync("/api/payments/reconciliations?channel=wechat&day=2026-11-01")).StatusCode);
    }
}
