using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Prepaid.Payments.Alipay;
using Prepaid.Payments;

namespace Prepaid.Fakes.Payments;

/// <summary>
/// An in-process Alipay gateway: plug it into an <see cref="HttpClient"/> and the real
/// <see cref="AlipayClient"/> talks to it without a port. It signs with a key it generates at
/// start, checks our requests with the app's public key, keeps trades in memory and answers in
/// Alipay's shapes. <see cref="Pay"/> plays the tenant paying.
/// </summary>
public sealed partial class FakeAlipayGateway : HttpMessageHandler
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RSA gatewayKey = RSA.Create(2048);
    private readonly RSA appPublicKey;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, FakeAlipayTrade> trades = new(StringComparer.Ordinal);
    private long tradeCounter;
    private int rejectedRequests;

    public FakeAlipayGateway(string appId, string appPublicKey, string sellerId, TimeProvider time)
    {
        AppId = appId;
        SellerId = sellerId;
        this.appPublicKey = RsaKeys.ImportPublicKey(appPublicKey);
        this.time = time;
        AlipayPublicKey = gatewayKey.ExportSubjectPublicKeyInfoPem();
    }

    public string AppId { get; }
    public string SellerId { get; }

    /// <summary>The key to configure as <see cref="AlipayOptions.AlipayPublicKey"/>.</summary>
    public string AlipayPublicKey { get; }

    /// <summary>Sends '/' as "\/" after signing, as some gateway front ends do.</summary>
    public bool EscapeSlashes { get; set; }

    /// <summary>Requests refused for a bad signature, app id or timestamp.</summary>
    public int RejectedRequests => Volatile.Read(ref rejectedRequests);

    public IReadOnlyDictionary<string, FakeAlipayTrade> Trades => trades;

    /// <summary>When set, new refunds are refused with this sub_code, e.g. ACQ.SELLER_BALANCE_NOT_ENOUGH (卖家余额不足).</summary>
    public string? RefuseRefundsWith { get; set; }

    /// <summary>When set, refunds are made but their answers are lost on the way back, as on a timeout.</summary>
    public bool LoseRefundAnswers { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Method != HttpMethod.Post || request.Content is null)
        {
            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
        }
        var form = Flatten(QueryHelpers.ParseQuery(await request.Content.ReadAsStringAsync(ct)));
        var method = form.GetValueOrDefault("method") ?? "";
        var refusal = CheckRequest(form);
        var member = refusal ?? Dispatch(method, form);
        if (refusal is null && method == "alipay.trade.refund" && LoseRefundAnswers)
        {
            throw new HttpRequestException("The refund's answer was lost (fake timeout).");
        }
        var memberName = refusal is null ? method.Replace('.', '_') + "_response" : "error_response";
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(SignedBody(memberName, member), Encoding.UTF8, "application/json"),
        };
    }

    /// <summary>
    /// Checks a wap.pay URL as the gateway does when the phone's browser arrives, and opens the
    /// trade. False for a URL that was not signed by the app or was changed.
    /// </summary>
    public bool AcceptWapPayUrl(Uri url)
    {
        var form = Flatten(QueryHelpers.ParseQuery(url.Query));
        if (CheckRequest(form) is not null || form.GetValueOrDefault("method") != "alipay.trade.wap.pay")
        {
            return false;
        }
        Dispatch("alipay.trade.wap.pay", form);
        return true;
    }

    /// <summary>
    /// The tenant pays: the trade becomes TRADE_SUCCESS and the signed notification fields come
    /// back, ready to post as a form to the trade's notify URL.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pay(string outTradeNo)
    {
        var trade = trades[outTradeNo];
        trade.Status = AlipayTradeStatus.Success;
        return SignNotification(NotificationFields(trade));
    }

    /// <summary>The unsigned notification fields for a trade, for tests that alter one before signing.</summary>
    public Dictionary<string, string> NotificationFields(FakeAlipayTrade trade)
    {
        var now = Cst(time.GetUtcNow());
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notify_time"] = now,
            ["notify_type"] = "trade_status_sync",
            ["notify_id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["app_id"] = AppId,
            ["charset"] = "utf-8",
            ["version"] = "1.0",
            ["trade_no"] = trade.TradeNo,
            ["out_trade_no"] = trade.OutTradeNo,
            ["trade_status"] = trade.Status,
            ["total_amount"] = AlipayAmount.Format(trade.TotalAmountYuan),
            ["receipt_amount"] = AlipayAmount.Format(trade.TotalAmountYuan),
            ["subject"] = trade.Subject,
            ["seller_id"] = SellerId,
            ["buyer_id"] = "2088000000000001",
            ["gmt_payment"] = now,
        };
    }

    /// <summary>Signs notification fields with the gateway's key and adds sign and sign_type.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SignNotification(IReadOnlyDictionary<string, string> fields)
    {
        var signed = fields.Where(f => f.Key is not ("sign" or "sign_type")).ToList();
        var sign = AlipaySignature.Sign(gatewayKey,
            AlipaySignature.SigningString(signed, AlipaySignature.NotificationExclusions));
        signed.Add(KeyValuePair.Create("sign_type", "RSA2"));
        signed.Add(KeyValuePair.Create("sign", sign));
        return signed;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gatewayKey.Dispose();
            appPublicKey.Dispose();
        }
        base.Dispose(disposing);
    }

    // Null when the request is acceptable, otherwise the error member to answer with.
    private Dictionary<string, string>? CheckRequest(Dictionary<string, string> form)
    {
        var signingString = AlipaySignature.SigningString(form, AlipaySignature.RequestExclusions);
        if (!AlipaySignature.Verify(appPublicKey, signingString, form.GetValueOrDefault("sign")))
        {
            return Refuse("40002", "Invalid Arguments", "isv.invalid-signature", "验签出错");
        }
        if (form.GetValueOrDefault("app_id") != AppId)
        {
            return Refuse("40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数");
        }
        // The real gateway refuses timestamps far from its own clock; ours reads UTC+8.
        if (!DateTime.TryParseExact(form.GetValueOrDefault("timestamp"), "yyyy-MM-dd HH:mm:ss",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || (new DateTimeOffset(local, ChinaStandardTime) - time.GetUtcNow()).Duration() > TimeSpan.FromMinutes(15))
        {
            return Refuse("40002", "Invalid Arguments", "isv.invalid-timestamp", "非法的时间戳参数");
        }
        return null;

        Dictionary<string, string> Refuse(string code, string msg, string subCode, string subMsg)
        {
            Interlocked.Increment(ref rejectedRequests);
            return Failure(code, msg, subCode, subMsg);
        }
    }

    private string SignedBody(string memberName, Dictionary<string, string> member)
    {
        var memberText = JsonSerializer.Serialize(member, Json);
        var sign = AlipaySignature.Sign(gatewayKey, memberText);
        var sent = EscapeSlashes ? memberText.Replace("/", @"\/", StringComparison.Ordinal) : memberText;
        return $"{{\"{memberName}\":{sent},\"sign\":\"{sign}\"}}";
    }

    private static Dictionary<string, string> Flatten(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> values) =>
        values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.Ordinal);

    private static string Cst(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Success(params (string Key, string Value)[] fields)
    {
        var member = new Dictionary<string, string>(StringComparer.Ordinal) { ["code"] = "10000", ["msg"] = "Success" };
        foreach (var (key, value) in fields)
        {
            member[key] = value;
        }
        return member;
    }

    private static Dictionary<string, string> Failure(string code, string msg, string subCode, string subMsg) =>
        new(StringComparer.Ordinal) { ["code"] = code, ["msg"] = msg, ["sub_code"] = subCode, ["sub_msg"] = subMsg };

    private static Dictionary<string, string> TradeNotFound() =>
        Failure("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在");

    private string NextTradeNo() =>
        time.GetUtcNow().ToOffset(ChinaStandardTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture)
        + "22001" + Interlocked.Increment(ref tradeCounter).ToString("D13", CultureInfo.InvariantCulture);
}
