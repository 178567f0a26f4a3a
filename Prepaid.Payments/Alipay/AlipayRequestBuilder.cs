using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepaid.Payments.Alipay;

/// <summary>Builds and signs the OpenAPI calls the platform makes.</summary>
public sealed class AlipayRequestBuilder(AlipayOptions options, TimeProvider time)
{
    // Parsed once: PEM parsing per request would cost more than the signature itself.
    private readonly RSA appPrivateKey = RsaKeys.ImportPrivateKey(options.AppPrivateKey);

    // China Standard Time has no daylight saving, so a fixed offset is exact and needs no tz data.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private static readonly JsonSerializerOptions BizJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Keeps Chinese subjects readable in Alipay's logs; the text is signed as sent either way.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public AlipayRequest Precreate(string outTradeNo, decimal totalAmountYuan, string subject) =>
        Build("alipay.trade.precreate", new
        {
            out_trade_no = outTradeNo,
            total_amount = AlipayAmount.Format(totalAmountYuan),
            subject,
        }, withNotifyUrl: true);

    public AlipayRequest WapPay(string outTradeNo, decimal totalAmountYuan, string subject, string? returnUrl = null) =>
        Build("alipay.trade.wap.pay", new
        {
            out_trade_no = outTradeNo,
            total_amount = AlipayAmount.Format(totalAmountYuan),
            subject,
            product_code = "QUICK_WAP_WAY",
        }, withNotifyUrl: true, returnUrl);

    public AlipayRequest AppPay(string outTradeNo, decimal totalAmountYuan, string subject) =>
        Build("alipay.trade.app.pay", new
        {
            out_trade_no = outTradeNo,
            total_amount = AlipayAmount.Format(totalAmountYuan),
            subject,
            product_code = "QUICK_MSECURITY_PAY",
        }, withNotifyUrl: true);

    public AlipayRequest Query(string outTradeNo) =>
        Build("alipay.trade.query", new { out_trade_no = outTradeNo });

    /// <summary><paramref name="outRequestNo"/> makes partial refunds distinct and retries idempotent.</summary>
    public AlipayRequest Refund(string outTradeNo, decimal refundAmountYuan, string outRequestNo, string? reason = null) =>
        Build("alipay.trade.refund", new
        {
            out_trade_no = outTradeNo,
            refund_amount = AlipayAmount.Format(refundAmountYuan),
            out_request_no = outRequestNo,
            refund_reason = reason,
        });

    public AlipayRequest Close(string outTradeNo) =>
        Build("alipay.trade.close", new { out_trade_no = outTradeNo });

    private AlipayRequest Build(string method, object bizContent, bool withNotifyUrl = false, string? returnUrl = null)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app_id"] = options.AppId,
            ["method"] = method,
            ["charset"] = "utf-8",
            ["sign_type"] = "RSA2",
            ["timestamp"] = time.GetUtcNow().ToOffset(ChinaStandardTime)
                .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["version"] = "1.0",
            // Serialised once: the signature must cover exactly the string that is sent.
            ["biz_content"] = JsonSerializer.Serialize(bizContent, BizJson),
        };
        if (withNotifyUrl && !string.IsNullOrEmpty(options.NotifyUrl))
        {
            parameters["notify_url"] = options.NotifyUrl;
        }
        if (!string.IsNullOrEmpty(returnUrl))
        {
            parameters["return_url"] = returnUrl;
        }

        var signingString = AlipaySignature.SigningString(parameters, AlipaySignature.RequestExclusions);
        parameters["sign"] = AlipaySignature.Sign(appPrivateKey, signingString);
        return new AlipayRequest(method, parameters);
    }
}
