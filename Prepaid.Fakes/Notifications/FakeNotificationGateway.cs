using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Prepaid.Fakes.Notifications;

/// <summary>
/// Aliyun's SendSms under <see cref="SmsPrefix"/> and WeChat's template-message API under <see cref="WeChatPrefix"/>.
/// SendSms checks the request's HMAC-SHA1 signature (Aliyun's POP scheme, computed here on its own, not by the client's
/// code) with the access key secret made at start, and answers in Aliyun's shape; the template API checks the access
/// token. The last messages are kept for a look.
/// </summary>
public sealed class FakeNotificationGateway : HttpMessageHandler
{
    public const string SmsPrefix = "/aliyun-sms", WeChatPrefix = "/wechat-mp";
    const int Keep = 1000;
    readonly Queue<(string Channel, string To, string Text)> received = new();
    static readonly JsonSerializerOptions Pascal = new() { PropertyNamingPolicy = null };

    public string AccessKeyId { get; } = "LTAI-demo";
    public string AccessKeySecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string WeChatToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public IReadOnlyList<(string Channel, string To, string Text)> Received { get { lock (received) return [.. received]; } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!;
        var query = QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (uri.AbsolutePath.TrimEnd('/') == SmsPrefix && request.Method == HttpMethod.Get)
        {
            if (!query.Remove("Signature", out var signature) || query.GetValueOrDefault("AccessKeyId") != AccessKeyId
                || Sign(query, AccessKeySecret) != signature)
                return Json(HttpStatusCode.BadRequest, new { Code = "SignatureDoesNotMatch", Message = "Specified signature is not matched with our calculation." });
            Add("sms", query.GetValueOrDefault("PhoneNumbers", ""), $"{query.GetValueOrDefault("TemplateCode")} {query.GetValueOrDefault("TemplateParam")}");
            return Json(HttpStatusCode.OK, new { Code = "OK", Message = "OK", BizId = $"demo{Guid.NewGuid():N}", RequestId = Guid.NewGuid().ToString() });
        }
        if (uri.AbsolutePath == WeChatPrefix + "/cgi-bin/message/template/send" && request.Method == HttpMethod.Post)
        {
            if (query.GetValueOrDefault("access_token") != WeChatToken) return Json(HttpStatusCode.OK, new { errcode = 40001, errmsg = "invalid credential" });
            var body = await request.Content!.ReadFromJsonAsync<JsonElement>(ct);
            Add("wechat", body.TryGetProperty("touser", out var to) ? to.GetString() ?? "" : "", body.GetRawText());
            return Json(HttpStatusCode.OK, new { errcode = 0, errmsg = "ok", msgid = Random.Shared.NextInt64(1, long.MaxValue) });
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    void Add(string channel, string to, string text)
    {
        lock (received)
        {
            received.Enqueue((channel, to, text));
            if (received.Count > Keep) received.Dequeue();
        }
    }

    static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = JsonContent.Create(body, options: Pascal) };

    /// <summary>Aliyun POP: HMAC-SHA1 over "GET&amp;%2F&amp;" + the encoded, sorted query, keyed by the secret and "&amp;".</summary>
    static string Sign(Dictionary<string, string> query, string secret)
    {
        var canonical = string.Join('&', query.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{Pop(kv.Key)}={Pop(kv.Value)}"));
        var toSign = $"GET&{Pop("/")}&{Pop(canonical)}";
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(toSign)));
    }

    static string Pop(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
