using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Prepaid.Payments.WeChatPay;
using Prepaid.Payments;

namespace Prepaid.Fakes.Payments;

/// <summary>
/// An in-process WeChat Pay API v3: plug it into an <see cref="HttpClient"/> and the real
/// <see cref="WeChatPayClient"/> talks to it without a port. It signs with a "WeChat Pay public
/// key" it generates at start, checks our Authorization header with the merchant's public key,
/// keeps orders in memory and answers in WeChat Pay's shapes. <see cref="Pay"/> plays the tenant
/// paying and returns the encrypted, signed notification.
/// </summary>
public sealed partial class FakeWeChatPayGateway : HttpMessageHandler
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RSA platformKey = RSA.Create(2048);
    private readonly RSA merchantPublicKey;
    private readonly string merchantSerial;
    private readonly string apiV3Key;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, FakeWeChatPayOrder> orders = new(StringComparer.Ordinal);
    private long counter;
    private int rejectedRequests;

    public FakeWeChatPayGateway(
        string mchId, string appId, string merchantSerial, string merchantPublicKey, string apiV3Key, TimeProvider time)
    {
        MchId = mchId;
        AppId = appId;
        this.merchantSerial = merchantSerial.ToUpperInvariant();
        this.merchantPublicKey = RsaKeys.ImportPublicKey(merchantPublicKey);
        this.apiV3Key = apiV3Key;
        this.time = time;
        PublicKeyId = "PUB_KEY_ID_0" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        PublicKey = platformKey.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Where the API sits under a shared host (<c>/wechatpay</c>): signatures cover the whole path, routes the rest.</summary>
    public string PathPrefix { get; init; } = "";

    public string MchId { get; }
    public string AppId { get; }

    /// <summary>The serial to configure in <see cref="WeChatPayOptions.PlatformPublicKeys"/>.</summary>
    public string PublicKeyId { get; }

    /// <summary>The key to configure under <see cref="PublicKeyId"/>.</summary>
    public string PublicKey { get; }

    /// <summary>Requests refused for a bad Authorization header.</summary>
    public int RejectedRequests => Volatile.Read(ref rejectedRequests);

    public IReadOnlyDictionary<string, FakeWeChatPayOrder> Orders => orders;

    /// <summary>When set, new refunds answer PROCESSING and end only by <see cref="FinishRefund"/>, as bank-card refunds do.</summary>
    public bool RefundsProcessing { get; set; }

    /// <summary>When set, new refunds are refused with this code (HTTP 403), e.g. NOT_ENOUGH when the merchant's balance is short.</summary>
    public string? RefuseRefundsWith { get; set; }

    /// <summary>
    /// Ends a PROCESSING refund as SUCCESS, ABNORMAL or CLOSED (money back to the merchant) and returns its REFUND.* notification.
    /// </summary>
    public FakeWeChatPayNotification FinishRefund(string outTradeNo, string outRefundNo, string status)
    {
        var order = orders[outTradeNo];
        FakeWeChatPayRefund refund;
        lock (order)
        {
            refund = order.Refunds[outRefundNo];
            if (refund.Status == "PROCESSING")
            {
                refund.Status = status;
                if (status != "SUCCESS")
                {
                    order.RefundedFen -= refund.Fen;
                }
            }
        }
        var resource = JsonSerializer.Serialize(new
        {
            mchid = MchId, out_trade_no = outTradeNo, transaction_id = order.TransactionId, out_refund_no = outRefundNo, refund_id = refund.RefundId,
            refund_status = refund.Status, success_time = refund.Status == "SUCCESS" ? Rfc3339(time.GetUtcNow()) : null, user_received_account = "支付用户零钱",
            amount = new { total = order.TotalFen, refund = refund.Fen, payer_total = order.TotalFen, payer_refund = refund.Fen },
        }, Json);
        return Notify(resource, "refund", "REFUND." + refund.Status);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        var path = request.RequestUri!.PathAndQuery;
        if (!IsSignedByMerchant(request, path, body))
        {
            Interlocked.Increment(ref rejectedRequests);
            return Answer(HttpStatusCode.Unauthorized, Error("SIGN_ERROR", "签名错误"));
        }
        var route = request.RequestUri.AbsolutePath;
        if (PathPrefix.Length > 0 && route.StartsWith(PathPrefix + "/", StringComparison.Ordinal)) route = route[PathPrefix.Length..];
        var (status, answer) = Route(request.Method.Method, route, body);
        return Answer(status, answer);
    }

    /// <summary>The tenant pays: the order becomes SUCCESS and its notification comes back.</summary>
    public FakeWeChatPayNotification Pay(string outTradeNo, string payerOpenId = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    {
        var order = orders[outTradeNo];
        lock (order)
        {
            order.TradeState = WeChatPayTransaction.Success;
            order.TransactionId ??= NextId("42000");
            order.PayerOpenId = payerOpenId;
            order.SuccessTime = Rfc3339(time.GetUtcNow());
        }
        return Notify(TransactionJson(order));
    }

    /// <summary>
    /// Encrypts any resource JSON into a notification and signs it, for tests that need a genuine
    /// notification with chosen contents. A refund is <c>("refund", "REFUND.SUCCESS")</c>.
    /// </summary>
    public FakeWeChatPayNotification Notify(
        string resourceJson, string originalType = "transaction", string eventType = "TRANSACTION.SUCCESS")
    {
        var nonce = RandomText(12);
        var envelope = new
        {
            id = Guid.NewGuid().ToString(),
            create_time = Rfc3339(time.GetUtcNow()),
            resource_type = "encrypt-resource",
            event_type = eventType,
            summary = originalType == "transaction" ? "支付成功" : "退款成功",
            resource = new
            {
                original_type = originalType,
                algorithm = "AEAD_AES_256_GCM",
                // WeChat Pay sets associated_data to the resource's type.
                ciphertext = WeChatPayAesGcm.Encrypt(apiV3Key, nonce, originalType, resourceJson),
                associated_data = originalType,
                nonce,
            },
        };
        var body = JsonSerializer.Serialize(envelope, Json);
        return new FakeWeChatPayNotification(SignedHeaders(Encoding.UTF8.GetBytes(body)), body);
    }

    /// <summary>The Wechatpay-* headers for a body, signed now with the gateway's key.</summary>
    public Dictionary<string, string> SignedHeaders(byte[] body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomText(32);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [WeChatPayHeaders.TimestampName] = timestamp,
            [WeChatPayHeaders.NonceName] = nonce,
            [WeChatPayHeaders.SerialName] = PublicKeyId,
            [WeChatPayHeaders.SignatureName] = RsaSha256.Sign(platformKey, WeChatPayMessages.Response(timestamp, nonce, body)),
        };
    }

    public string TransactionJson(FakeWeChatPayOrder order) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["appid"] = AppId,
        ["mchid"] = MchId,
        ["out_trade_no"] = order.OutTradeNo,
        ["transaction_id"] = order.TransactionId,
        ["trade_type"] = order.TradeType,
        ["trade_state"] = order.TradeState,
        ["trade_state_desc"] = order.TradeState == WeChatPayTransaction.Success ? "支付成功" : "订单未支付",
        ["bank_type"] = order.TransactionId is null ? null : "OTHERS",
        ["success_time"] = order.SuccessTime,
        ["payer"] = order.PayerOpenId is null ? null : new { openid = order.PayerOpenId },
        ["amount"] = new { total = order.TotalFen, payer_total = order.TotalFen, currency = "CNY", payer_currency = "CNY" },
    }.Where(p => p.Value is not null).ToDictionary(), Json);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            platformKey.Dispose();
            merchantPublicKey.Dispose();
        }
        base.Dispose(disposing);
    }

    // The check WeChat Pay makes on every call: our mchid, our certificate serial, a fresh
    // timestamp, and the signature over METHOD\nPATH_AND_QUERY\nTIMESTAMP\nNONCE\nBODY\n.
    private bool IsSignedByMerchant(HttpRequestMessage request, string pathAndQuery, string body)
    {
        var auth = request.Headers.Authorization;
        if (auth?.Scheme != WeChatPayMessages.AuthorizationScheme || auth.Parameter is null)
        {
            return false;
        }
        var fields = AuthorizationField().Matches(auth.Parameter)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        if (fields.GetValueOrDefault("mchid") != MchId || fields.GetValueOrDefault("serial_no") != merchantSerial
            || !long.TryParse(fields.GetValueOrDefault("timestamp"), out var timestamp)
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > TimeSpan.FromMinutes(5))
        {
            return false;
        }
        var message = WeChatPayMessages.Request(
            request.Method.Method, pathAndQuery, timestamp, fields.GetValueOrDefault("nonce_str") ?? "", body);
        return RsaSha256.Verify(merchantPublicKey, message, fields.GetValueOrDefault("signature"));
    }

    private HttpResponseMessage Answer(HttpStatusCode status, string? json)
    {
        var bytes = Encoding.UTF8.GetBytes(json ?? "");
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(bytes) };
        if (json is not null)
        {
            response.Content.Headers.ContentType = new("application/json");
        }
        foreach (var (name, value) in SignedHeaders(bytes))
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        response.Headers.TryAddWithoutValidation("Request-ID", Guid.NewGuid().ToString("N"));
        return response;
    }

    private static string Error(string code, string message) =>
        JsonSerializer.Serialize(new { code, message }, Json);

    private static string Rfc3339(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private string NextId(string prefix) =>
        prefix + time.GetUtcNow().ToOffset(ChinaStandardTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        + Interlocked.Increment(ref counter).ToString("D10", CultureInfo.InvariantCulture);

    private static string RandomText(int length) =>
        new(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length));

    [GeneratedRegex("""(\w+)="([^"]*)"\s*,?""")]
    private static partial Regex AuthorizationField();
}
