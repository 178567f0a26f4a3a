using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// The WeChat Pay API v3 calls the platform needs. Refusals throw
/// <see cref="WeChatPayBusinessException"/>; answers that fail verification throw
/// <see cref="WeChatPayResponseException"/>.
/// </summary>
public sealed class WeChatPayClient(HttpClient http, WeChatPayOptions options, TimeProvider time)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private static readonly JsonSerializerOptions BodyJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Keeps Chinese descriptions readable in WeChat Pay's logs; the text is signed as sent either way.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly string notifyUrl = CheckNotifyUrl(options.NotifyUrl);
    private readonly WeChatPayRequestSigner signer = new(options, time);
    private readonly WeChatPaySignatureVerifier verifier =
        new(new WeChatPayPlatformKeys(options.PlatformPublicKeys), time);

    /// <summary>Native (QR) payment: the <c>code_url</c> to render as a QR code.</summary>
    public async Task<string> NativeAsync(WeChatPayOrder order, CancellationToken ct = default)
    {
        using var r = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/native", OrderBody(order), ct);
        return Required(r.RootElement, "code_url");
    }

    /// <summary>JSAPI payment inside WeChat: the signed parameters for the page.</summary>
    public async Task<WeChatPayJsapiParams> JsapiAsync(WeChatPayOrder order, string payerOpenId, CancellationToken ct = default)
    {
        var body = OrderBody(order);
        body["payer"] = new { openid = payerOpenId };
        using var r = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/jsapi", body, ct);
        return PayParams(Required(r.RootElement, "prepay_id"));
    }

    /// <summary>H5 payment in a phone browser outside WeChat: the <c>h5_url</c> to redirect to.</summary>
    public async Task<string> H5Async(WeChatPayOrder order, string payerClientIp, CancellationToken ct = default)
    {
        var body = OrderBody(order);
        body["scene_info"] = new { payer_client_ip = payerClientIp, h5_info = new { type = "Wap" } };
        using var r = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/h5", body, ct);
        return Required(r.RootElement, "h5_url");
    }

    /// <summary>
    /// The paySign bundle for a prepay id, signed with the merchant key over
    /// appId\ntimeStamp\nnonceStr\nprepay_id=…\n.
    /// </summary>
    public WeChatPayJsapiParams PayParams(string prepayId)
    {
        var timeStamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = WeChatPayMessages.NewNonce();
        return new WeChatPayJsapiParams(options.AppId, timeStamp, nonce, "prepay_id=" + prepayId, "RSA",
            signer.PaySign(options.AppId, timeStamp, nonce, prepayId));
    }

    public async Task<WeChatPayTransaction> QueryByOutTradeNoAsync(string outTradeNo, CancellationToken ct = default)
    {
        var path = $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}?mchid={Uri.EscapeDataString(options.MchId)}";
        using var r = await SendAsync(HttpMethod.Get, path, null, ct);
        return Parse(r.RootElement, WeChatPayTransaction.Parse);
    }

    /// <summary>Closes an unpaid order; WeChat Pay answers 204 with an empty, signed body.</summary>
    public async Task CloseAsync(string outTradeNo, CancellationToken ct = default)
    {
        var path = $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(outTradeNo)}/close";
        using var _ = await SendAsync(HttpMethod.Post, path, new { mchid = options.MchId }, ct);
    }

    public async Task<WeChatPayRefund> RefundAsync(WeChatPayRefundRequest refund, CancellationToken ct = default)
    {
        var body = new
        {
            out_trade_no = refund.OutTradeNo,
            out_refund_no = refund.OutRefundNo,
            reason = refund.Reason,
            amount = new { refund = refund.RefundFen, total = refund.TotalFen, currency = "CNY" },
        };
        using var r = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", body, ct);
        return Parse(r.RootElement, e => new WeChatPayRefund(
            Required(e, "refund_id"), Required(e, "out_refund_no"), Required(e, "status"),
            e.GetProperty("amount").GetProperty("refund").GetInt64()));
    }

    private Dictionary<string, object?> OrderBody(WeChatPayOrder order) => new()
    {
        ["appid"] = options.AppId,
        ["mchid"] = options.MchId,
        ["description"] = order.Description,
        ["out_trade_no"] = order.OutTradeNo,
        ["time_expire"] = order.ExpiresAt?.ToOffset(ChinaStandardTime)
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        ["notify_url"] = notifyUrl,
        ["amount"] = new { total = order.AmountFen, currency = "CNY" },
    };

    // Returns the verified JSON answer (an empty document for 204).
    private async Task<JsonDocument> SendAsync(HttpMethod method, string pathAndQuery, object? body, CancellationToken ct)
    {
        // Serialised once: the signature must cover exactly the bytes that are sent.
        var json = body is null ? "" : JsonSerializer.Serialize(body, BodyJson);
        // Appended, not resolved: a base with a path (a proxy, the demo's fake) keeps it.
        var uri = new Uri(options.BaseUrl.ToString().TrimEnd('/') + pathAndQuery);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue(
            WeChatPayMessages.AuthorizationScheme, signer.AuthorizationParameters(method.Method, uri.PathAndQuery, json));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // WeChat Pay refuses requests without a User-Agent.
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Prepaid", "1.0"));
        if (body is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var raw = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            // A refusal is reported, never acted on, so it needs no signature check to be safe.
            throw Refusal(response.StatusCode, raw);
        }

        var rejection = verifier.Verify(WeChatPayHeaders.From(response.Headers), raw);
        if (rejection is not null)
        {
            throw new WeChatPayResponseException($"{method} {pathAndQuery}: answer rejected ({rejection}).", rejection);
        }
        try
        {
            return raw.Length == 0 && response.StatusCode == HttpStatusCode.NoContent
                ? JsonDocument.Parse("{}")
                : JsonDocument.Parse(raw);
        }
        catch (JsonException e)
        {
            throw new WeChatPayResponseException($"{method} {pathAndQuery}: the answer is not JSON.", WeChatPayRejection.Malformed, e);
        }
    }

    private static WeChatPayBusinessException Refusal(HttpStatusCode status, byte[] raw)
    {
        try
        {
            using var error = JsonDocument.Parse(raw);
            return new WeChatPayBusinessException(status,
                WeChatPayTransaction.Text(error.RootElement, "code") ?? "",
                WeChatPayTransaction.Text(error.RootElement, "message"));
        }
        catch (JsonException)
        {
            return new WeChatPayBusinessException(status, "", Encoding.UTF8.GetString(raw));
        }
    }

    private static T Parse<T>(JsonElement e, Func<JsonElement, T> parse)
    {
        try
        {
            return parse(e);
        }
        catch (Exception x) when (x is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new WeChatPayResponseException("The answer has an unexpected shape.", WeChatPayRejection.Malformed, x);
        }
    }

    // WeChat Pay drops a query string and refuses plain http, so a bad URL would only show up as
    // payments that never notify; fail at start instead.
    private static string CheckNotifyUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Query.Length == 0
            ? url
            : throw new ArgumentException("The notify URL must be https with no query string.", nameof(url));

    private static string Required(JsonElement e, string name) =>
        WeChatPayTransaction.Text(e, name)
        ?? throw new WeChatPayResponseException($"The answer has no {name}.", WeChatPayRejection.Malformed);
}
