namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// Checks the Wechatpay-* signature of an API response or a notification over
/// TIMESTAMP\nNONCE\nBODY\n, with the key named by <c>Wechatpay-Serial</c>.
/// </summary>
public sealed class WeChatPaySignatureVerifier(WeChatPayPlatformKeys keys, TimeProvider time)
{
    public const string ProbePrefix = "WECHATPAY/SIGNTEST/";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(300);

    /// <summary>Null when the message verifies, otherwise why not.</summary>
    public WeChatPayRejection? Verify(WeChatPayHeaders headers, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(headers.Timestamp) || string.IsNullOrEmpty(headers.Nonce)
            || string.IsNullOrEmpty(headers.Signature) || string.IsNullOrEmpty(headers.Serial))
        {
            return WeChatPayRejection.Malformed;
        }
        // Probes carry a deliberately invalid signature; refusing them by name keeps them out of
        // the "forged" statistics while still answering 4xx as WeChat Pay expects.
        if (headers.Signature.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            return WeChatPayRejection.SignatureProbe;
        }
        if (!long.TryParse(headers.Timestamp, out var seconds)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WeChatPayRejection.Malformed;
        }
        // Bounds replays of a once-valid message to five minutes.
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > MaxClockSkew)
        {
            return WeChatPayRejection.StaleTimestamp;
        }
        if (!keys.TryGet(headers.Serial, out var key))
        {
            return WeChatPayRejection.UnknownSerial;
        }
        var message = WeChatPayMessages.Response(headers.Timestamp, headers.Nonce, body);
        return RsaSha256.Verify(key, message, headers.Signature) ? null : WeChatPayRejection.BadSignature;
    }
}
