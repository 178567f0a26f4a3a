using System.Net;
using System.Text;
using System.Text.Json;
using Prepaid.Payments.WeChatPay;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// The anonymous notify endpoints cannot fill the disk or crash: bodies are capped (413, kept truncated), floods are
/// rate-limited (429), and whatever arrives malformed is on record with its verification outcome and answered 4xx.
/// </summary>
public class NotificationAbuseTests
{
    const int StoredAtMostChars = 64 * 1024;

    static HttpContent Body(string channel, int bytes) => channel == "alipay"
        ? new StringContent("out_trade_no=PP1&x=" + new string('x', bytes), Encoding.UTF8, "application/x-www-form-urlencoded")
        : new StringContent("{\"id\":\"" + new string('x', bytes) + "\"}", Encoding.UTF8, "application/json");

    static string PathOf(string channel) => $"/api/payments/{channel}/notify";

    static async Task<List<JsonElement>> StoredAsync(PaymentsSite s) =>
        (await s.Admin.GetOkAsync("/api/payments/notifications?raw=true&limit=1000")).EnumerateArray().ToList();

    [Theory]
    [InlineData("alipay", 1024 * 1024 + 1)]
    [InlineData("wechat", 1024 * 1024 + 1)]
    [InlineData("alipay", 28 * 1024 * 1024)]
    [InlineData("wechat", 28 * 1024 * 1024)]
    public async Task Notify_OversizedBody_Answers413_AndIsStoredTruncatedNeverWhole(string channel, int bytes)
    {
        using var s = await PaymentsSite.CreateAsync();
        using var anonymous = s.App.CreateClient();
        var answer = await anonymous.PostAsync(PathOf(channel), Body(channel, bytes));

        PaymentsSite.AssertStatus(answer, HttpStatusCode.RequestEntityTooLarge);
        var stored = Assert.Single(await StoredAsync(s));
        Assert.Equal(channel, stored.Str("channel"));
        Assert.Equal("rejected", stored.Str("verification"));
        Assert.StartsWith("TooLarge", stored.Str("reason"));
        Assert.True(stored.Str("body").Length <= StoredAtMostChars, $"{stored.Str("body").Length} characters stored");
        Assert.True(stored.Str("body").Length > 0);
    }

    [Fact]
    public async Task Notify_Flood_IsRateLimitedPerAddress_AndEveryAnsweredOneIsStored()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var anonymous = s.App.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++) statuses.Add((await anonymous.PostAsync(PathOf(i % 2 == 0 ? "alipay" : "wechat"), Body(i % 2 == 0 ? "alipay" : "wechat", 100))).StatusCode);

        var limited = statuses.Count(c => c == HttpStatusCode.TooManyRequests);
        Assert.True(limited >= 50, $"{limited} of 200 answered 429");
        Assert.Equal(200 - limited, (await StoredAsync(s)).Count);
    }

    [Theory]
    [InlineData("99999999999999999")]
    [InlineData("-99999999999999999")]
    [InlineData("not-a-number")]
    public async Task Notify_WeChatTimestampMalformed_IsRecordedRejected_AndAnswers400(string timestamp)
    {
        using var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("10.00", "wechat", "native"));
        var n = s.App.WeChat.Pay(no);
        var headers = new Dictionary<string, string>(n.Headers, StringComparer.OrdinalIgnoreCase) { [WeChatPayHeaders.TimestampName] = timestamp };

        var answer = await s.DeliverWeChatAsync(headers, n.Body);

        PaymentsSite.AssertStatus(answer, HttpStatusCode.BadRequest);
        Assert.Equal("FAIL", (await answer.ReadJsonAsync()).Str("code"));
        var stored = Assert.Single(await StoredAsync(s));
        Assert.Equal("rejected", stored.Str("verification"));
        Assert.StartsWith("Malformed", stored.Str("reason"));
        Assert.Equal("0.00", await s.BalanceAsync());
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("wechat")]
    public async Task Notify_MultipartBody_IsRecordedRejected_AndAnswers4xx(string channel)
    {
        using var s = await PaymentsSite.CreateAsync();
        using var anonymous = s.App.CreateClient();
        var multipart = new MultipartFormDataContent
        {
            { new StringContent("PP0000000001"), "out_trade_no" },
            { new ByteArrayContent(new byte[2048]) { Headers = { ContentType = new("application/octet-stream") } }, "file", "x.bin" },
        };

        var answer = await anonymous.PostAsync(PathOf(channel), multipart);

        var status = (int)answer.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{status} {await answer.Content.ReadAsStringAsync()}");
        var stored = Assert.Single(await StoredAsync(s));
        Assert.Equal("rejected", stored.Str("verification"));
        Assert.StartsWith("Malformed", stored.Str("reason"));
    }

    [Fact]
    public async Task Notify_BrokenMultipart_IsRecordedRejected_AndAnswers4xx()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var anonymous = s.App.CreateClient();
        var content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var answer = await anonymous.PostAsync(PathOf("alipay"), content);

        var status = (int)answer.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{status} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("rejected", Assert.Single(await StoredAsync(s)).Str("verification"));
    }
}
