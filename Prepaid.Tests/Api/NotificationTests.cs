using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Notifications;
using Prepaid.Fakes.Notifications;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Notifications end to end: a tenant subscribes (SMS with quiet hours, e-mail, WeChat); readings push the balance
/// under alarm 1 and alarm 2; the dispatcher sends through Aliyun's SendSms to a fake gateway that checks the
/// signature, through MailKit to an SMTP server on loopback, and to WeChat's template API. Quiet hours delay a
/// message to the window's end and never drop it; a failed send is retried; an event is told once.
/// </summary>
public class NotificationTests
{
    sealed record World(PrepaidApp App, HttpClient Admin, HttpClient Tenant, SiteBuilder Site, long Account, long Meter, long TenantId,
        LoopbackSmtpServer Smtp, FakeNotificationGateways Gateways) : IAsyncDisposable
    {
        public NotificationDispatcher Dispatcher => App.Services.GetRequiredService<NotificationDispatcher>();

        public async ValueTask DisposeAsync()
        {
            Tenant.Dispose();
            Admin.Dispose();
            App.Dispose();
            await Smtp.DisposeAsync();
            await Gateways.DisposeAsync();
        }
    }

    static async Task<World> WorldAsync()
    {
        var smtp = new LoopbackSmtpServer();
        var gateways = await FakeNotificationGateways.StartAsync();
        var app = new PrepaidApp();
        foreach (var (k, v) in new Dictionary<string, string>
                 {
                     ["Prepaid:Notifications:Sms:Endpoint"] = gateways.Url, ["Prepaid:Notifications:Sms:AccessKeyId"] = FakeNotificationGateways.AccessKeyId,
                     ["Prepaid:Notifications:Sms:AccessKeySecret"] = FakeNotificationGateways.AccessKeySecret,
                     ["Prepaid:Notifications:Sms:Templates:lowBalance1"] = "SMS_LOW1", ["Prepaid:Notifications:Sms:Templates:lowBalance2"] = "SMS_LOW2",
                     ["Prepaid:Notifications:WeChat:Endpoint"] = gateways.Url, ["Prepaid:Notifications:WeChat:AccessToken"] = FakeNotificationGateways.WeChatToken,
                     ["Prepaid:Notifications:Email:Host"] = "127.0.0.1", ["Prepaid:Notifications:Email:Port"] = smtp.Port.ToString(),
                     ["Prepaid:Notifications:Email:Security"] = "none", ["Prepaid:Notifications:Email:From"] = "prepaid@mall.example",
                 })
            app.Settings[k] = v;
        app.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T20:00:00+08:00"));
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync("1.0000");
        var meter = await site.MeterAsync("E-7");
        var tenantId = await site.TenantAsync("面馆 Noodles", "tenant-pass-7", "13800000077");
        var account = (await site.AccountAsync(tenantId, [(meter, tariff, "100")], "2026-11-02T08:00:00+08:00")).Id();
        var tenant = await app.SignInAsync("13800000077", "tenant-pass-7");
        return new World(app, admin, tenant, site, account, meter, tenantId, smtp, gateways);
    }

    static async Task SubscribeAsync(World w, object subscriptions)
    {
        var response = await w.Tenant.PutAsJsonAsync("/api/me/notifications", new { subscriptions });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LowBalance_EmailArrivesOverSmtp_SmsAtTheGateway_QuietHoursDelayNeverDrop()
    {
        await using var w = await WorldAsync();
        await SubscribeAsync(w, new object[]
        {
            new { channel = "sms", address = "13800000077", kinds = new[] { "lowBalance1", "lowBalance2", "paymentReceived" }, quietFrom = "22:00", quietTo = "07:00" },
            new { channel = "email", address = "noodles@shop.example", kinds = new[] { "lowBalance1" } },
        });
        await w.Site.TopUpAsync(w.Account, "30.00", "n-1");
        // 15 kWh at 1.00: 15.00 left, under alarm 1 (20.00).
        await w.Site.ReadingsAsync(new { meterId = w.Meter, at = "2026-11-02T19:30:00+08:00", registers = new { total = "115" } });
        var (_, sent) = await w.Dispatcher.RunOnceAsync();
        Assert.True(sent == 3, await RowsAsync(w));

        var mail = Assert.Single(w.Smtp.Received);
        Assert.Equal(["noodles@shop.example"], mail.To);
        Assert.Equal("prepaid@mall.example", mail.From);
        Assert.Contains("余额不足", mail.Message.Subject);
        Assert.Contains("¥15.00", mail.Message.TextBody);
        Assert.Contains($"Account {w.Account}", mail.Message.TextBody);

        var low1 = Assert.Single(w.Gateways.Sms, s => s["TemplateCode"] == "SMS_LOW1");
        Assert.Equal("SendSms", low1["Action"]);
        Assert.Equal("13800000077", low1["PhoneNumbers"]);
        Assert.Equal("15.00", JsonDocument.Parse(low1["TemplateParam"]).RootElement.Str("balance"));
        var paid = Assert.Single(w.Gateways.Sms, s => s["TemplateCode"] == "SMS_PREPAID");
        Assert.Equal("30.00", JsonDocument.Parse(paid["TemplateParam"]).RootElement.Str("amount"));

        // 23:00, quiet hours: 7 kWh more leaves 8.00, under alarm 2. The SMS waits until 07:00, the e-mail has no such kind.
        w.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-02T23:00:00+08:00"));
        await w.Site.ReadingsAsync(new { meterId = w.Meter, at = "2026-11-02T22:50:00+08:00", registers = new { total = "122" } });
        Assert.Equal(0, (await w.Dispatcher.RunOnceAsync()).Sent);
        w.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-03T06:59:00+08:00"));
        Assert.Equal(0, (await w.Dispatcher.RunOnceAsync()).Sent);
        Assert.DoesNotContain(w.Gateways.Sms, s => s["TemplateCode"] == "SMS_LOW2");

        w.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-03T07:00:00+08:00"));
        Assert.Equal(1, (await w.Dispatcher.RunOnceAsync()).Sent);
        var low2 = Assert.Single(w.Gateways.Sms, s => s["TemplateCode"] == "SMS_LOW2");
        Assert.Equal("8.00", JsonDocument.Parse(low2["TemplateParam"]).RootElement.Str("balance"));
        Assert.Equal("2026-11-02T23:00:00Z", low2["Timestamp"]); // sent at 07:00 site time
        // Told once: another run sends nothing more.
        Assert.Equal(0, (await w.Dispatcher.RunOnceAsync()).Sent);
        Assert.Single(w.Smtp.Received);
        Assert.Equal(3, w.Gateways.Sms.Count);
    }

    /// <summary>The outbox as text, for a failure's message.</summary>
    static async Task<string> RowsAsync(World w)
    {
        await using var connection = await w.App.Services.GetRequiredService<Prepaid.Api.Data.Db>().OpenAsync(default);
        var rows = await Dapper.SqlMapper.QueryAsync<(string Kind, string Channel, string State, long Attempts, string? LastError)>(connection,
            "SELECT kind, channel, state, attempts, last_error FROM notifications ORDER BY id");
        return string.Join("\n", rows);
    }

    [Fact]
    public async Task FailedSend_IsRetriedWithBackOff_AndAnEventIsToldOnce()
    {
        await using var w = await WorldAsync();
        await SubscribeAsync(w, new object[] { new { channel = "sms", address = "13800000077", kinds = new[] { "statementReady" } },
            new { channel = "wechat", address = "oWx-openid_77", kinds = new[] { "statementReady" } } });
        w.Gateways.FailNext(1);
        var outbox = w.App.Services.GetRequiredService<NotificationOutbox>();
        var db = w.App.Services.GetRequiredService<Prepaid.Api.Data.Db>();
        await using (var connection = await db.OpenAsync(default))
        {
            Assert.Equal(2, await outbox.StatementReadyAsync(connection, w.TenantId, w.Account, "2026", 0));
            Assert.Equal(0, await outbox.StatementReadyAsync(connection, w.TenantId, w.Account, "2026", 0));
        }
        Assert.Equal(1, (await w.Dispatcher.RunOnceAsync()).Sent); // WeChat went, the SMS gateway refused
        Assert.Equal("2026", Assert.Single(w.Gateways.WeChat).GetProperty("data").GetProperty("period").GetProperty("value").GetString());
        Assert.Empty(w.Gateways.Sms);
        w.App.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, (await w.Dispatcher.RunOnceAsync()).Sent);
        w.App.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await w.Dispatcher.RunOnceAsync()).Sent);
        Assert.Equal("2026", JsonDocument.Parse(Assert.Single(w.Gateways.Sms)["TemplateParam"]).RootElement.Str("period"));
    }

    [Theory]
    [InlineData("""[{"channel":"fax","address":"1","kinds":["leak"]}]""", "subscriptions[0].channel")]
    [InlineData("""[{"channel":"sms","address":"12345","kinds":["leak"]}]""", "subscriptions[0].address")]
    [InlineData("""[{"channel":"email","address":"not-an-address","kinds":["leak"]}]""", "subscriptions[0].address")]
    [InlineData("""[{"channel":"sms","address":"13800000077","kinds":["everything"]}]""", "subscriptions[0].kinds[0]")]
    [InlineData("""[{"channel":"sms","address":"13800000077","kinds":["leak"],"quietFrom":"22:00"}]""", "subscriptions[0].quietTo")]
    [InlineData("""[{"channel":"sms","address":"13800000077","kinds":["leak"],"quietFrom":"25:00","quietTo":"07:00"}]""", "subscriptions[0].quietFrom")]
    public async Task BadSubscription_Answers400NamingTheField_AndKeepsTheOldOnes(string subscriptions, string field)
    {
        await using var w = await WorldAsync();
        await SubscribeAsync(w, new object[] { new { channel = "email", address = "a@b.example", kinds = new[] { "leak" } } });
        var response = await w.Tenant.PutAsync("/api/me/notifications",
            new StringContent($$"""{"subscriptions":{{subscriptions}}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.ErrorFields());
        var kept = await w.Tenant.GetOkAsync("/api/me/notifications");
        Assert.Equal("a@b.example", Assert.Single(kept.GetProperty("subscriptions").EnumerateArray()).Str("address"));
    }
}
