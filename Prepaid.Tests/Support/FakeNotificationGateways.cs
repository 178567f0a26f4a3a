using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prepaid.Api.Notifications;

namespace Prepaid.Tests.Support;

/// <summary>
/// Aliyun's SendSms and WeChat's template-message API as a real HTTP server on loopback. SendSms checks the request's
/// HMAC-SHA1 signature with the access key secret, as Aliyun does, and answers SignatureDoesNotMatch otherwise;
/// <see cref="FailNext"/> makes the next sends fail as a throttled gateway would.
/// </summary>
public sealed class FakeNotificationGateways : IAsyncDisposable
{
    public const string AccessKeyId = "LTAI-test-key", AccessKeySecret = "test-secret-of-the-sms-account", WeChatToken = "wx-test-token";
    readonly WebApplication app;
    readonly List<Dictionary<string, string>> sms = [];
    readonly List<JsonElement> wechat = [];
    int failNext;
    // Aliyun answers with PascalCase members (Code, Message, BizId, RequestId).
    static readonly JsonSerializerOptions Pascal = new() { PropertyNamingPolicy = null };

    public string Url { get; }

    public IReadOnlyList<Dictionary<string, string>> Sms { get { lock (sms) return sms.ToList(); } }
    public IReadOnlyList<JsonElement> WeChat { get { lock (wechat) return wechat.ToList(); } }

    public void FailNext(int count) => Interlocked.Exchange(ref failNext, count);

    FakeNotificationGateways(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public static async Task<FakeNotificationGateways> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeNotificationGateways? self = null;
        app.MapGet("/", (HttpRequest request) => self!.SendSms(request));
        app.MapPost("/cgi-bin/message/template/send", async (HttpRequest request) => await self!.SendTemplateAsync(request));
        await app.StartAsync();
        self = new FakeNotificationGateways(app, app.Urls.First());
        return self;
    }

    IResult SendSms(HttpRequest request)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        if (!query.Remove("Signature", out var signature) || query.GetValueOrDefault("AccessKeyId") != AccessKeyId
            || AliyunSmsChannel.Sign("GET", AliyunSmsChannel.Canonical(query), AccessKeySecret) != signature)
            return Results.Json(new { Code = "SignatureDoesNotMatch", Message = "Specified signature is not matched with our calculation." }, Pascal, statusCode: 400);
        if (Interlocked.Decrement(ref failNext) >= 0)
            return Results.Json(new { Code = "isv.BUSINESS_LIMIT_CONTROL", Message = "触发流控" }, Pascal);
        lock (sms) sms.Add(query);
        return Results.Json(new { Code = "OK", Message = "OK", BizId = $"biz{sms.Count}", RequestId = Guid.NewGuid().ToString() }, Pascal);
    }

    async Task<IResult> SendTemplateAsync(HttpRequest request)
    {
        if (request.Query["access_token"] != WeChatToken) return Results.Json(new { errcode = 40001, errmsg = "invalid credential" });
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        lock (wechat) wechat.Add(body);
        return Results.Json(new { errcode = 0, errmsg = "ok", msgid = wechat.Count });
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
