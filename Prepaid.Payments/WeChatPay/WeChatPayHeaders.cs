using System.Net.Http.Headers;

namespace Prepaid.Payments.WeChatPay;

/// <summary>The four <c>Wechatpay-*</c> headers that sign a response or a notification.</summary>
public sealed record WeChatPayHeaders(string? Timestamp, string? Nonce, string? Signature, string? Serial)
{
    public const string TimestampName = "Wechatpay-Timestamp";
    public const string NonceName = "Wechatpay-Nonce";
    public const string SignatureName = "Wechatpay-Signature";
    public const string SerialName = "Wechatpay-Serial";

    public static WeChatPayHeaders From(HttpResponseHeaders headers) =>
        new(One(headers, TimestampName), One(headers, NonceName), One(headers, SignatureName), One(headers, SerialName));

    public static WeChatPayHeaders From(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var map = headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return new(map.GetValueOrDefault(TimestampName), map.GetValueOrDefault(NonceName),
            map.GetValueOrDefault(SignatureName), map.GetValueOrDefault(SerialName));
    }

    private static string? One(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
