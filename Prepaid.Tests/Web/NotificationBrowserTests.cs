using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepaid.Api.Notifications;
using Prepaid.Fakes.Notifications;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Notifications in Debian's Chromium, in both languages: the tenant subscribes on the phone page by clicking (channels,
/// kinds, quiet hours) and the API holds what was clicked; a reading that takes a wallet under alarm 2 makes an e-mail
/// (read off the loopback SMTP server) and a row on the operator's notifications page, filtered by state, with no
/// console error and no label left untranslated.
/// </summary>
[Collection("browser")]
public class NotificationBrowserTests(Chromium chromium)
{
    static Dictionary<string, string> Mail(LoopbackSmtpServer smtp) => new()
    {
        ["Prepaid:Notifications:Email:Host"] = "127.0.0.1", ["Prepaid:Notifications:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Prepaid:Notifications:Email:Security"] = "none",
    };

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Tenant_SubscribesByClicking_ChannelsKindsAndQuietHours(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = lang, TimezoneId = "Europe/Berlin",
        });
        await using var _ = context;
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync($"if (!localStorage.getItem('prepaid.locale')) localStorage.setItem('prepaid.locale', '{lang}')");
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console: {m.Text}"); };
        page.PageError += (_, e) => problems.Add($"page error: {e}");
        page.Response += (_, r) => { if (r.Status >= 400) problems.Add($"HTTP {r.Status}: {r.Request.Method} {r.Url}"); };

        await page.GotoAsync("/m/");
        await page.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
        await page.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
        await page.GetByTestId("m-sign-in").ClickAsync();
        var notify = page.GetByTestId("m-notify");
        await Assertions.Expect(notify).ToContainTextAsync(lang == "en" ? "Notifications" : "消息通知");
        await Assertions.Expect(page.GetByTestId("m-notify-kind-leak")).Not.ToBeCheckedAsync();

        await page.GetByTestId("m-notify-channel-sms").CheckAsync();
        await Assertions.Expect(page.GetByTestId("m-notify-address-sms")).ToHaveValueAsync("13800000001");
        await page.GetByTestId("m-notify-channel-email").CheckAsync();
        await page.GetByTestId("m-notify-address-email").FillAsync("noodles@shop.example");
        await page.GetByTestId("m-notify-kind-leak").CheckAsync();
        await page.GetByTestId("m-notify-kind-paymentReceived").UncheckAsync();
        await page.GetByTestId("m-notify-quiet").CheckAsync();
        await page.GetByTestId("m-notify-quiet-from").FillAsync("21:30");
        await page.GetByTestId("m-notify-quiet-to").FillAsync("07:00");
        await page.GetByTestId("m-notify-save").ClickAsync();
        await Assertions.Expect(page.Locator(".van-toast")).ToContainTextAsync(lang == "en" ? "Notification settings saved" : "通知设置已保存");
        await Assertions.Expect(notify).Not.ToContainTextAsync("lowBalance1");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"tenant-notifications-{(lang == "en" ? "en" : "zh")}"), FullPage = true });

        using var tenant = await site.SignInAsync("13800000001", LiveSite.TenantPassword);
        var saved = (await tenant.GetFromJsonAsync<JsonElement>("/api/me/notifications")).GetProperty("subscriptions").EnumerateArray().ToList();
        Assert.Equal(["email", "sms"], saved.Select(s => s.Str("channel")));
        Assert.Equal("noodles@shop.example", saved[0].Str("address"));
        foreach (var s in saved)
        {
            Assert.Equal(["lowBalance1", "lowBalance2", "supplyCutSoon", "leak"], s.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal(("21:30", "07:00"), (s.Str("quietFrom"), s.Str("quietTo")));
        }

        // A bad address is refused beside the form, in the page's language, and nothing is saved.
        await page.GetByTestId("m-notify-address-email").FillAsync("not-an-address");
        await page.GetByTestId("m-notify-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-notify-error")).ToHaveTextAsync(lang == "en" ? "The E-mail address is not valid" : "电子邮件的地址不正确");
        Assert.Equal([$"HTTP 400: PUT {site.Url}/api/me/notifications"], problems.Where(p => !p.Contains("status of 400", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task LowBalance_AfterAReading_TheOperatorSeesTheMessageSent(string lang)
    {
        await using var smtp = new LoopbackSmtpServer();
        await using var site = await LiveSite.StartAsync(settings: Mail(smtp));
        using (var tenant = await site.SignInAsync("13800000001", LiveSite.TenantPassword))
        {
            var response = await tenant.PutAsJsonAsync("/api/me/notifications", new
            {
                subscriptions = new[] { new { channel = "email", address = "noodles@shop.example", kinds = new[] { "lowBalance2" }, quietFrom = (string?)null, quietTo = (string?)null } },
            });
            response.EnsureSuccessStatusCode();
        }
        // 7 kWh at 1.00: account 2 goes from 15.00 to 8.00, under alarm 2.
        await site.ReadingAsync(site.E2, "2026-11-02T09:00:00+08:00", "207");
        var run = await site.App.Services.GetRequiredService<NotificationDispatcher>().RunOnceAsync();
        Assert.True(smtp.Received.Count == 1, $"{run}: {await site.Admin.GetStringAsync("/api/notifications")} {await site.Admin.GetStringAsync($"/api/accounts/{site.Account2}")}");
        var mail = smtp.Received[0];
        Assert.Equal(["noodles@shop.example"], mail.To);
        Assert.Contains("¥8.00", mail.Message.TextBody);

        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        await b.SignInAsync();
        await b.Page.GetByTestId("nav-notifications").ClickAsync();
        var table = b.Page.GetByTestId("notifications");
        var row = table.Locator("tbody tr", new() { HasText = "noodles@shop.example" });
        await Assertions.Expect(row).ToContainTextAsync(b.L("余额严重不足（二级告警）", "Balance very low (alarm 2)"));
        await Assertions.Expect(row).ToContainTextAsync(b.L("已发送", "Sent"));
        await Assertions.Expect(row).ToContainTextAsync("面馆 Noodle shop");
        await Assertions.Expect(row).ToContainTextAsync(b.L("电子邮件", "E-mail"));
        await b.ChooseAsync(b.Page.GetByTestId("notifications-state"), b.L("发送失败", "Failed"));
        await Assertions.Expect(table).ToContainTextAsync(b.L("暂无通知消息", "No notifications yet"));
        await b.ChooseAsync(b.Page.GetByTestId("notifications-state"), b.L("已发送", "Sent"));
        await Assertions.Expect(row).ToBeVisibleAsync();
        await b.ShotAsync("operator-notifications");
        await b.AssertCleanAsync();
    }
}
