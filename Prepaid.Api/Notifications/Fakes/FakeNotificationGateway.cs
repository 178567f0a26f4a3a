using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Prepaid.Api.Notifications.Fakes;

/// <summary>
/// `--demo`: Aliyun's SendSms and WeChat's template-message API in process, plugged under the channels' HttpClients.
/// SendSms checks the request's HMAC-SHA1 signature with the access key secret (made at start, never on disk) and
/// answers in Aliyun's shape; the template API checks the access token. The last messages are kept for a look.
/// </summary>
public sealed class FakeNotificationGateway : HttpMessageHandler
{
    public const string SmsHost = "dysmsapi.fake", WeChatHost = "api.weixin.fake";
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
        if (uri.Host == SmsHost && request.Method == HttpMethod.Get)
        {
            if (!query.Remove("Signature", out var signature) || query.GetValueOrDefault("AccessKeyId") != AccessKeyId
                || AliyunSmsChannel.Sign("GET", AliyunSmsChannel.Canonical(query), AccessKeySecret) != signature)
                return Json(HttpStatusCode.BadRequest, new { Code = "SignatureDoesNotMatch", Message = "Specified signature is not matched with our calculation." });
            Add("sms", query.GetValueOrDefault("PhoneNumbers", ""), $"{query.GetValueOrDefault("TemplateCode")} {query.GetValueOrDefault("TemplateParam")}");
            return Json(HttpStatusCode.OK, new { Code = "OK", Message = "OK", BizId = $"demo{Guid.NewGuid():N}", RequestId = Guid.NewGuid().ToString() });
        }
        if (uri.Host == WeChatHost && uri.AbsolutePath == "/cgi-bin/message/template/send" && request.Method == HttpMethod.Post)
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

    /// <summary>
    /// The fake hosts go to the gateway, any other (a real gateway configured for the demo) to the network. HttpClientFactory
    /// may rotate and dispose this handler; the gateway behind it lives on.
    /// </summary>
    public sealed class Shared(FakeNotificationGateway gateway) : HttpMessageHandler
    {
        readonly HttpMessageInvoker fake = new(gateway, disposeHandler: false);
        readonly HttpMessageInvoker network = new(new SocketsHttpHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            request.RequestUri?.Host is SmsHost or WeChatHost ? fake.SendAsync(request, ct) : network.SendAsync(request, ct);

        protected override void Dispose(bool disposing)
        {
            if (disposing) network.Dispose();
            base.Dispose(disposing);
        }
    }
}
