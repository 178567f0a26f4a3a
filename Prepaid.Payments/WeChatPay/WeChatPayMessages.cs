using System.Security.Cryptography;
using System.Text;

namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// The exact texts WeChat Pay v3 signs. Every line ends in <c>\n</c>, the last one too, so a GET
/// request (empty body) ends in <c>\n\n</c>.
/// </summary>
public static class WeChatPayMessages
{
    public const string AuthorizationScheme = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>Request: METHOD\nPATH_AND_QUERY\nTIMESTAMP\nNONCE\nBODY\n.</summary>
    public static string Request(string method, string pathAndQuery, long timestamp, string nonce, string body) =>
        $"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";

    /// <summary>Response or notification: TIMESTAMP\nNONCE\nBODY\n over the raw body bytes.</summary>
    public static byte[] Response(string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        // Bytes, not a decoded string: the body is verified exactly as it arrived.
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }

    /// <summary>JSAPI page: appId\ntimeStamp\nnonceStr\nprepay_id=…\n.</summary>
    public static string PaySign(string appId, string timeStamp, string nonceStr, string prepayId) =>
        $"{appId}\n{timeStamp}\n{nonceStr}\nprepay_id={prepayId}\n";

    /// <summary>The Authorization header's parameter part, fields in the documented order.</summary>
    public static string AuthorizationParameters(
        string mchId, string nonce, string signature, long timestamp, string serialNo) =>
        $"mchid=\"{mchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{serialNo}\"";

    /// <summary>32 random upper-case letters and digits: unguessable, and safe inside the header's quotes.</summary>
    public static string NewNonce() =>
        new(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32));
}
