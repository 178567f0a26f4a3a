using System.Security.Cryptography;

namespace Prepaid.Payments.WeChatPay;

/// <summary>Signs merchant requests with the merchant API key for the Authorization header.</summary>
public sealed class WeChatPayRequestSigner(WeChatPayOptions options, TimeProvider time)
{
    private readonly RSA merchantKey = RsaKeys.ImportPrivateKey(options.MerchantPrivateKey);

    /// <summary>The header's parameter part, for a fresh timestamp and nonce.</summary>
    public string AuthorizationParameters(string method, string pathAndQuery, string body) =>
        AuthorizationParameters(method, pathAndQuery, body,
            time.GetUtcNow().ToUnixTimeSeconds(), WeChatPayMessages.NewNonce());

    /// <summary>Deterministic form, for tests and for reproducing a captured request.</summary>
    public string AuthorizationParameters(string method, string pathAndQuery, string body, long timestamp, string nonce)
    {
        var message = WeChatPayMessages.Request(method, pathAndQuery, timestamp, nonce, body);
        var signature = RsaSha256.Sign(merchantKey, message);
        // WeChat Pay looks the merchant certificate up by its upper-case hex serial.
        return WeChatPayMessages.AuthorizationParameters(
            options.MchId, nonce, signature, timestamp, options.MerchantCertificateSerial.ToUpperInvariant());
    }

    /// <summary>paySign for the JSAPI page, signed with the same merchant key.</summary>
    public string PaySign(string appId, string timeStamp, string nonceStr, string prepayId) =>
        RsaSha256.Sign(merchantKey, WeChatPayMessages.PaySign(appId, timeStamp, nonceStr, prepayId));
}
