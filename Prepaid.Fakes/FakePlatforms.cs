using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Prepaid.Fakes.NbIot;
using Prepaid.Fakes.Notifications;
using Prepaid.Fakes.Payments;

namespace Prepaid.Fakes;

/// <summary>
/// Every fake behind one host, each under its own path: Alipay's gateway at <c>/alipay/gateway.do</c>, WeChat Pay's API v3
/// under <c>/wechatpay</c>, the NB-IoT platforms (IAM, IoTDA, CTWing) under <c>/nbiot</c>, Aliyun's SendSms under
/// <c>/aliyun-sms</c> and WeChat's template messages under <c>/wechat-mp</c>; e-mail goes to a loopback SMTP server
/// started with the first settings request. The process (Program.cs) serves
/// it over HTTP; tests plug it into the platform's HttpClients in-process. Besides the real protocols it answers the
/// demo's few control calls: the merchant settings, "the tenant pays" and the demo's sleepy NB-IoT meters.
/// </summary>
public sealed class FakePlatforms : HttpMessageHandler
{
    public const string SettingsPath = "/merchant-settings", NbIotPrefix = "/nbiot";
    public const string AlipayPayPrefix = "/alipay/demo/pay/", WeChatPayPayPrefix = "/wechatpay/demo/pay/", NbIotMetersPath = "/nbiot/demo/meters";

    readonly HttpMessageInvoker alipay, wechat, nbiot, notifications;
    readonly Lazy<LoopbackSmtpServer> smtp = new(() => new LoopbackSmtpServer { Keep = 1000 });

    public FakePlatforms(TimeProvider time)
    {
        Channels = new FakeChannels(time);
        NbIot = new FakeNbIotPlatform(time);
        Meters = new DemoNbIotMeters(NbIot, time);
        alipay = new HttpMessageInvoker(Channels.Alipay, disposeHandler: false);
        wechat = new HttpMessageInvoker(Channels.WeChat, disposeHandler: false);
        nbiot = new HttpMessageInvoker(NbIot, disposeHandler: false);
        notifications = new HttpMessageInvoker(Notifications, disposeHandler: false);
    }

    public FakeNotificationGateway Notifications { get; } = new();

    /// <summary>The fakes' settings for the platform: the merchants' keys and gateways, and the notification channels.</summary>
    public Dictionary<string, string> Settings(Uri host)
    {
        var settings = Channels.Settings(host);
        var root = host.GetLeftPart(UriPartial.Authority);
        settings["Prepaid:Notifications:Sms:Endpoint"] = root + FakeNotificationGateway.SmsPrefix + "/";
        settings["Prepaid:Notifications:Sms:AccessKeyId"] = Notifications.AccessKeyId;
        settings["Prepaid:Notifications:Sms:AccessKeySecret"] = Notifications.AccessKeySecret;
        settings["Prepaid:Notifications:WeChat:Endpoint"] = root + FakeNotificationGateway.WeChatPrefix + "/";
        settings["Prepaid:Notifications:WeChat:AccessToken"] = Notifications.WeChatToken;
        settings["Prepaid:Notifications:Email:Host"] = "127.0.0.1";
        settings["Prepaid:Notifications:Email:Port"] = smtp.Value.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Prepaid:Notifications:Email:Security"] = "none";
        settings["Prepaid:Notifications:Email:From"] = "prepaid@demo.example";
        return settings;
    }

    public FakeChannels Channels { get; }
    public FakeAlipayGateway Alipay => Channels.Alipay;
    public FakeWeChatPayGateway WeChat => Channels.WeChat;
    public FakeNbIotPlatform NbIot { get; }
    public DemoNbIotMeters Meters { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!;
        var path = uri.AbsolutePath;
        var get = request.Method == HttpMethod.Get;
        if (get && path == SettingsPath) return JsonAnswer(HttpStatusCode.OK, Settings(uri));
        if (path.StartsWith(FakeNotificationGateway.SmsPrefix, StringComparison.Ordinal) || path.StartsWith(FakeNotificationGateway.WeChatPrefix + "/", StringComparison.Ordinal))
            return await notifications.SendAsync(request, ct);
        if (request.Method == HttpMethod.Post && path.StartsWith(AlipayPayPrefix, StringComparison.Ordinal))
            return await AlipayPaysAsync(Uri.UnescapeDataString(path[AlipayPayPrefix.Length..]), request, ct);
        if (request.Method == HttpMethod.Post && path.StartsWith(WeChatPayPayPrefix, StringComparison.Ordinal))
            return WeChatPays(Uri.UnescapeDataString(path[WeChatPayPayPrefix.Length..]));
        if (request.Method == HttpMethod.Post && path == NbIotMetersPath)
        {
            var registration = await request.Content!.ReadFromJsonAsync<DemoNbIotMeters.Registration>(ct);
            Meters.Register(registration!);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
        if (path == FakeChannels.AlipayGatewayPath)
        {
            // A phone's browser arriving with a wap.pay URL: the gateway opens the trade and shows its cashier.
            if (get) return Alipay.AcceptWapPayUrl(uri) ? Html("<h1>支付宝 Alipay (fake cashier)</h1>") : new HttpResponseMessage(HttpStatusCode.BadRequest);
            return await alipay.SendAsync(request, ct);
        }
        if (path.StartsWith(FakeChannels.WeChatPayPrefix + "/", StringComparison.Ordinal)) return await wechat.SendAsync(request, ct);
        if (path.StartsWith(NbIotPrefix + "/", StringComparison.Ordinal))
        {
            using var inner = new HttpRequestMessage(request.Method, new UriBuilder(uri) { Path = path[NbIotPrefix.Length..] }.Uri) { Content = request.Content };
            foreach (var (name, values) in request.Headers) inner.Headers.TryAddWithoutValidation(name, values);
            return await nbiot.SendAsync(inner, ct);
        }
        return JsonAnswer(HttpStatusCode.NotFound, new { message = $"no fake at {request.Method} {path}" });
    }

    // The tenant pays at Alipay: the trade (opened from the signed wap.pay URL if the phone never got there) turns
    // TRADE_SUCCESS and the answer is the signed notification, form-encoded, as Alipay would post it.
    async Task<HttpResponseMessage> AlipayPaysAsync(string outTradeNo, HttpRequestMessage request, CancellationToken ct)
    {
        if (!Alipay.Trades.ContainsKey(outTradeNo) && request.Content is not null)
        {
            var form = System.Web.HttpUtility.ParseQueryString(await request.Content.ReadAsStringAsync(ct));
            if (form["wap_pay_url"] is { } url && Uri.TryCreate(url, UriKind.Absolute, out var wap)) Alipay.AcceptWapPayUrl(wap);
        }
        if (!Alipay.Trades.ContainsKey(outTradeNo)) return JsonAnswer(HttpStatusCode.NotFound, new { message = $"no trade {outTradeNo}" });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new FormUrlEncodedContent(Alipay.Pay(outTradeNo)) };
    }

    // The tenant pays at WeChat Pay: the answer is the notification, its body and its Wechatpay-* headers as WeChat Pay would post them.
    HttpResponseMessage WeChatPays(string outTradeNo)
    {
        if (!WeChat.Orders.ContainsKey(outTradeNo)) return JsonAnswer(HttpStatusCode.NotFound, new { message = $"no order {outTradeNo}" });
        var notification = WeChat.Pay(outTradeNo);
        var answer = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(notification.BodyBytes) { Headers = { ContentType = new("application/json") } },
        };
        foreach (var (name, value) in notification.Headers) answer.Headers.TryAddWithoutValidation(name, value);
        return answer;
    }

    static HttpResponseMessage JsonAnswer(HttpStatusCode status, object body) => new(status) { Content = JsonContent.Create(body) };

    static HttpResponseMessage Html(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent($"<!doctype html><meta charset=utf-8>{body}", Encoding.UTF8, "text/html") };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Meters.Dispose();
            alipay.Dispose();
            wechat.Dispose();
            nbiot.Dispose();
            Channels.Dispose();
            NbIot.Dispose();
        }
        base.Dispose(disposing);
    }
}
