using System.Net;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Prepaid.Api.Data;
using Prepaid.Payments.Alipay;
using Prepaid.Api.Payments.Notifications;
using Prepaid.Api.Payments.Orders;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Demo;

/// <summary>
/// `--demo` only: the fake gateways (the Prepaid.Fakes process) have no wallet app, so this page plays it. "Pay" asks the
/// fake gateway to mark the trade paid; it answers with its signed notification, which this page delivers over HTTP to
/// our own notify endpoint, exactly as the channel would post it.
/// </summary>
public static class DemoPayPage
{
    public const string NotifyClient = "payments-demo-notify";

    /// <summary>The HttpClient to the fake gateways' host (<c>Prepaid:Demo:FakesUrl</c>).</summary>
    public const string GatewaysClient = "payments-demo-gateways";

    public static void MapDemoPayPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/demo/pay/{outTradeNo}", Show).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/demo/pay/{outTradeNo}", Pay).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    static async Task<IResult> Show(string outTradeNo, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var order = await PaymentOrder.FindAsync(connection, null, outTradeNo);
        if (order is null) return Page("Unknown order", $"<p>No order {Enc(outTradeNo)}.</p>", HttpStatusCode.NotFound);
        var button = order.State == PaymentOrder.Pending
            ? $"""<form method="post" action="/demo/pay/{Enc(outTradeNo)}"><button type="submit">确认付款 Pay ¥{new Money(order.AmountFen)}</button></form>"""
            : $"<p>This order is {Enc(order.State)}.</p>";
        return Page($"{(order.Channel == "alipay" ? "支付宝 Alipay" : "微信支付 WeChat Pay")} (demo)",
            $"<p>Order <code>{Enc(outTradeNo)}</code> for account {order.AccountId}</p><p class=amount>¥{new Money(order.AmountFen)}</p>{button}{Back(order)}");
    }

    static string? BoundAddresses(IServiceProvider services) =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is { Addresses.Count: > 0 } bound ? string.Join(';', bound.Addresses) : null;

    /// <summary>The first http address the platform is configured to listen on, as a client reaches it.</summary>
    public static string OwnAddress(string? urls)
    {
        var all = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = all.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? all.FirstOrDefault();
        if (first is null) return "http://localhost:5000";
        foreach (var wildcard in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        return first.TrimEnd('/');
    }

    static async Task<IResult> Pay(string outTradeNo, Db db, PaymentsOptions options, IServiceProvider services, IHttpClientFactory clients, CancellationToken ct)
    {
        PaymentOrder? order;
        await using (var connection = await db.OpenAsync(ct)) order = await PaymentOrder.FindAsync(connection, null, outTradeNo);
        if (order is null) return Page("Unknown order", $"<p>No order {Enc(outTradeNo)}.</p>", HttpStatusCode.NotFound);

        // From configuration only: the request's Host header is the sender's to choose.
        var origin = (options.DemoNotifyBaseUrl ?? OwnAddress(BoundAddresses(services))).TrimEnd('/');
        using var http = clients.CreateClient(NotifyClient);
        using var gateways = clients.CreateClient(GatewaysClient);
        HttpResponseMessage answer;
        var no = Uri.EscapeDataString(outTradeNo);
        if (order.Channel == "alipay")
        {
            // wap and app trades open at Alipay when the phone arrives with the signed URL; this page is that phone.
            var wap = services.GetRequiredService<AlipayClient>().WapPayUrl(outTradeNo, new Money(order.AmountFen).Yuan, "Prepaid top-up");
            using var paid = await gateways.PostAsync($"alipay/demo/pay/{no}", new FormUrlEncodedContent([KeyValuePair.Create("wap_pay_url", wap.ToString())]), ct);
            if (!paid.IsSuccessStatusCode) return Refused(outTradeNo, paid);
            var fields = await paid.Content.ReadAsByteArrayAsync(ct);
            answer = await http.PostAsync(new Uri(origin + PaymentNotificationsApi.AlipayPath),
                new ByteArrayContent(fields) { Headers = { ContentType = new("application/x-www-form-urlencoded") } }, ct);
        }
        else
        {
            using var paid = await gateways.PostAsync($"wechatpay/demo/pay/{no}", null, ct);
            if (!paid.IsSuccessStatusCode) return Refused(outTradeNo, paid);
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(origin + PaymentNotificationsApi.WeChatPath))
            {
                Content = new ByteArrayContent(await paid.Content.ReadAsByteArrayAsync(ct)) { Headers = { ContentType = new("application/json") } },
            };
            foreach (var (name, values) in paid.Headers.Where(h => h.Key.StartsWith("Wechatpay-", StringComparison.OrdinalIgnoreCase)))
                message.Headers.TryAddWithoutValidation(name, values);
            answer = await http.SendAsync(message, ct);
        }
        var said = await answer.Content.ReadAsStringAsync(ct);
        await using var after = await db.OpenAsync(ct);
        var state = await after.ExecuteScalarAsync<string>("SELECT state FROM payment_orders WHERE out_trade_no = @outTradeNo", new { outTradeNo });
        return Page("Paid (demo)", $"<p>The gateway notified the platform and heard <code>{(int)answer.StatusCode} {Enc(said)}</code>.</p>" +
            $"<p>Order <code>{Enc(outTradeNo)}</code> is now <b>{Enc(state ?? "?")}</b>.</p>{Back(order)}");
    }

    static IResult Refused(string outTradeNo, HttpResponseMessage paid) =>
        Page("Not paid (demo)", $"<p>The demo gateway did not take order <code>{Enc(outTradeNo)}</code> ({(int)paid.StatusCode}).</p>", HttpStatusCode.BadGateway);

    static string Enc(string text) => WebUtility.HtmlEncode(text);

    // The way back to the app the order came from, as a wallet app offers it; checked to be our own page (ReturnUrls).
    static string Back(PaymentOrder order) =>
        order.ReturnUrl is { } url ? $"""<p><a id="back" href="{Enc(url)}">返回应用 Back to the app</a></p>""" : "";

    static IResult Page(string title, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=zh><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\"><link rel=icon href=/favicon.svg type=image/svg+xml>")
            .Append($"<title>{Enc(title)}</title><style>body{{font-family:sans-serif;max-width:28em;margin:2em auto;padding:0 1em}}")
            .Append(".amount{font-size:2em}button{font-size:1.2em;padding:.6em 1.2em}</style></head><body>")
            .Append($"<h1>{Enc(title)}</h1>{body}<p><small>Demo gateway: no money moves.</small></p></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, (int)status);
    }
}
