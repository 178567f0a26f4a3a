using System.Security.Cryptography;

namespace Prepaid.Payments.Alipay;

/// <summary>
/// Verifies an asynchronous notification with Alipay's public key (not the app's) over every
/// field but <c>sign</c> and <c>sign_type</c>, then checks it is for this app and seller. The
/// caller then matches it to its order with <see cref="AlipayNotificationResult.ForOrder"/>.
/// </summary>
public sealed class AlipayNotificationVerifier(AlipayOptions options)
{
    private readonly RSA alipayPublicKey = RsaKeys.ImportPublicKey(options.AlipayPublicKey);

    public AlipayNotificationResult Verify(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var all = fields.ToList();
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in all)
        {
            // Two values for one key would let a forger choose which one we read after verifying.
            if (!byKey.TryAdd(key, value))
            {
                return AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed, $"{key} is repeated.");
            }
        }

        if (!byKey.TryGetValue("sign", out var sign) || sign.Length == 0)
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.MissingSignature, "No sign field.");
        }
        if (byKey.TryGetValue("sign_type", out var signType) && signType != "RSA2")
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.UnsupportedSignType,
                $"sign_type {signType} is not RSA2.");
        }

        var signingString = AlipaySignature.SigningString(all, AlipaySignature.NotificationExclusions);
        if (!AlipaySignature.Verify(alipayPublicKey, signingString, sign))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.BadSignature,
                "The signature does not verify with Alipay's public key.");
        }

        // Signed by Alipay, but possibly for another merchant's app sharing the notify URL.
        var appId = byKey.GetValueOrDefault("app_id");
        if (!string.Equals(appId, options.AppId, StringComparison.Ordinal))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.AppIdMismatch,
                $"app_id {appId} is not ours.");
        }
        var sellerId = byKey.GetValueOrDefault("seller_id");
        if (!string.Equals(sellerId, options.SellerId, StringComparison.Ordinal))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.SellerIdMismatch,
                $"seller_id {sellerId} is not ours.");
        }

        var outTradeNo = byKey.GetValueOrDefault("out_trade_no");
        var tradeStatus = byKey.GetValueOrDefault("trade_status");
        if (string.IsNullOrEmpty(outTradeNo) || string.IsNullOrEmpty(tradeStatus))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed,
                "out_trade_no or trade_status is missing.");
        }
        if (!AlipayAmount.TryParse(byKey.GetValueOrDefault("total_amount"), out var totalAmount))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed,
                "total_amount is missing or not an amount.");
        }

        return AlipayNotificationResult.Valid(new AlipayNotification(
            appId!, outTradeNo, byKey.GetValueOrDefault("trade_no"), totalAmount, tradeStatus, sellerId));
    }
}
