using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Prepaid.Tests.Web;

/// <summary>
/// The tenant's phone page in Debian's Chromium, end to end: paying by Alipay and by WeChat Pay through the demo's
/// confirm page and back, in Chinese and in English, with no console error and no failed request; the statement's
/// grouped, explained lines; the supply-cut banner with its time in the site's zone (the browser is set to Berlin to
/// prove it); the flows by keyboard. Screenshots land in TestResults/screenshots.
/// </summary>
[Collection("browser")]
public class PhoneBrowserTests(Chromium chromium)
{
    /// <summary>A phone's browser context, and every console error and failed request of its pages.</summary>
    sealed class Phone(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;
        public List<string> Problems { get; } = [];

        public void AssertClean() => Assert.True(Problems.Count == 0, "console errors or failed requests:\n" + string.Join("\n", Problems));

        public async ValueTask DisposeAsync() => await context.DisposeAsync();
    }

    async Task<Phone> PhoneAsync(PhoneSite site, string locale = "zh-CN")
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
            Locale = locale, TimezoneId = "Europe/Berlin",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var phone = new Phone(context, page);
        page.Console += (_, m) => { if (m.Type == "error") phone.Problems.Add($"console: {m.Text} ({m.Location})"); };
        page.PageError += (_, e) => phone.Problems.Add($"page error: {e}");
        page.RequestFailed += (_, r) =>
        {
            // Leaving the page for the wallet ends the hub's connection; that is the navigation, not a failure.
            if (!(r.Url.Contains("/hubs/") && r.Failure == "net::ERR_ABORTED")) phone.Problems.Add($"failed: {r.Method} {r.Url} {r.Failure}");
        };
        page.Response += (_, r) => { if (r.Status >= 400) phone.Problems.Add($"HTTP {r.Status}: {r.Request.Method} {r.Url}"); };
        return phone;
    }

    static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/m/");
        await page.GetByTestId("m-phone").Locator("input").FillAsync(PhoneSite.Phone);
        await page.GetByTestId("m-password").Locator("input").FillAsync(PhoneSite.Password);
        await page.GetByTestId("m-sign-in").ClickAsync();
    }

    /// <summary>A screenshot once sheets and dialogs have finished sliding or fading in (spinners go on for ever and do not count).</summary>
    static async Task Shot(IPage page, string name)
    {
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath(name), FullPage = true });
    }

    static string Plus(string balance, string amount) =>
        (decimal.Parse(balance, CultureInfo.InvariantCulture) + decimal.Parse(amount, CultureInfo.InvariantCulture)).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Top-up from the phone: the sheet, the channel, the demo's confirm page (the wallet app), and back.</summary>
    static async Task PayAsync(IPage page, string channel, string wallet, string pay, string back)
    {
        await page.GetByTestId("m-topup").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-pay-sheet")).ToBeVisibleAsync();
        await page.GetByTestId("m-preset-100.00").ClickAsync();
        await page.GetByTestId($"m-channel-{channel}").CheckAsync();
        await page.GetByTestId("m-pay").ClickAsync();
        await page.WaitForURLAsync(new Regex("/demo/pay/PP[0-9A-Z]{20}$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(wallet);
        await page.GetByRole(AriaRole.Button, new() { Name = pay }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("paid");
        await page.GetByRole(AriaRole.Link, new() { Name = back }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/m/"));
    }

    [Fact]
    public async Task Tenant_PaysByAlipay_InChinese_ThroughTheConfirmPageAndBack_SeesTheBalanceChange()
    {
        await using var site = await PhoneSite.StartAsync();
        var before = await site.Site.BalanceAsync(site.Shop);
        await using var phone = await PhoneAsync(site);
        var page = phone.Page;
        await SignInAsync(page);
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}").GetByTestId("m-balance")).ToHaveTextAsync($"¥ {before}");
        Assert.Equal("zh-CN", await page.EvaluateAsync<string>("document.documentElement.lang"));
        await Shot(page, "tenant-phone-zh");
        await page.GetByTestId("m-topup").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-pay")).ToHaveTextAsync("去支付 ¥50.00");
        await Shot(page, "tenant-phone-pay-zh");
        await page.GetByTestId("m-pay-cancel").ClickAsync();

        await PayAsync(page, "alipay", "支付宝", "确认付款 Pay ¥100.00", "返回应用 Back to the app");
        var receipt = page.GetByTestId("m-receipt");
        await Assertions.Expect(receipt).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("m-receipt-amount")).ToHaveTextAsync("¥ 100.00");
        // Paid at the site's 23:05 (the fake clock), although the browser runs on Berlin time.
        await Assertions.Expect(page.GetByTestId("m-receipt-time")).ToHaveTextAsync(new Regex(@"^2026年11月2日 23:05:\d\d$"));
        await Assertions.Expect(receipt).ToContainTextAsync("支付宝");
        await Shot(page, "tenant-phone-paid-zh");
        await page.GetByTestId("m-receipt-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}").GetByTestId("m-balance")).ToHaveTextAsync($"¥ {Plus(before, "100.00")}");
        Assert.Equal(Plus(before, "100.00"), await site.Site.BalanceAsync(site.Shop));

        await page.GetByRole(AriaRole.Tab, new() { Name = "充值记录" }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-payments").First).ToContainTextAsync("已支付");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Must be");
        phone.AssertClean();
    }

    [Fact]
    public async Task Tenant_PaysByWeChatPay_InEnglish_ThroughTheConfirmPageAndBack_SeesTheBalanceChange()
    {
        await using var site = await PhoneSite.StartAsync();
        var before = await site.Site.BalanceAsync(site.Shop);
        await using var phone = await PhoneAsync(site, "en-US");
        var page = phone.Page;
        await SignInAsync(page);
        await page.GetByTestId("m-lang").ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-topup").First).ToHaveTextAsync("Top up");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        await Shot(page, "tenant-phone-en");

        await PayAsync(page, "wechat", "微信支付 WeChat Pay", "确认付款 Pay ¥100.00", "返回应用 Back to the app");
        await Assertions.Expect(page.GetByTestId("m-receipt")).ToContainTextAsync("WeChat Pay");
        await Assertions.Expect(page.GetByTestId("m-receipt-time")).ToHaveTextAsync(new Regex(@"^Nov 2, 2026, 23:05:\d\d$"));
        await Shot(page, "tenant-phone-paid-en");
        await page.GetByTestId("m-receipt-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}").GetByTestId("m-balance")).ToHaveTextAsync($"¥ {Plus(before, "100.00")}");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        phone.AssertClean();
    }

    [Fact]
    public async Task Statement_ShowsGroupedExplainedLines_AndTheSupplyCutBanner_WithItsTimeInTheSiteZone()
    {
        await using var site = await PhoneSite.StartAsync();
        await using var phone = await PhoneAsync(site);
        var page = phone.Page;
        await SignInAsync(page);
        var shop = page.GetByTestId($"m-account-{site.Shop}");
        var day = shop.GetByTestId("m-period-2026-11-02");
        await Assertions.Expect(day).ToBeVisibleAsync();
        // One consumption line for the day's 25 readings, explained: registers, readings, TOU periods with prices.
        var used = day.GetByTestId("m-line-consumption");
        await Assertions.Expect(used).ToHaveCountAsync(1);
        await Assertions.Expect(used).ToContainTextAsync("电 E-1 · 1.76 kWh");
        await Assertions.Expect(used).ToContainTextAsync("读数 100 → 101.76");
        await Assertions.Expect(used).ToContainTextAsync("25 次抄表");
        await Assertions.Expect(used).ToContainTextAsync("峰");
        await Assertions.Expect(used).ToContainTextAsync("× ¥1.2000");
        await Assertions.Expect(day.GetByTestId("m-line-topup")).ToContainTextAsync("支付 ¥52.00，服务费 ¥0.00，到账 ¥52.00");
        await Shot(page, "tenant-phone-statement-zh");

        // The kiosk is in arrears at night: supply will be cut at 07:00 site time (01:00 Nov 3 in Berlin, never shown).
        await page.GetByRole(AriaRole.Tab, new() { Name = $"#{site.Kiosk}" }).ClickAsync();
        var banner = page.GetByTestId($"m-account-{site.Kiosk}").GetByTestId("m-supply-banner");
        await Assertions.Expect(banner).ToContainTextAsync("将于 11月3日 07:00 停止供电");
        await Shot(page, "tenant-phone-supply-cut-zh");
        await page.GetByTestId("m-lang").ClickAsync();
        await Assertions.Expect(banner).ToContainTextAsync("supply will be cut at Nov 3, 07:00");
        await Shot(page, "tenant-phone-supply-cut-en");
        await page.GetByRole(AriaRole.Tab, new() { Name = $"#{site.Shop}" }).ClickAsync();
        await page.GetByTestId($"m-account-{site.Shop}").GetByTestId("m-statement-month").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}").GetByTestId("m-period-2026-11")).ToContainTextAsync("November 2026");
        await Shot(page, "tenant-phone-statement-en");
        phone.AssertClean();
    }

    [Fact]
    public async Task PhonePage_ZoomAllowed_LabelledFields_AndTopUpByKeyboardAlone()
    {
        await using var site = await PhoneSite.StartAsync();
        await using var phone = await PhoneAsync(site);
        var page = phone.Page;
        await page.GotoAsync("/m/");
        var viewport = await page.Locator("meta[name=viewport]").GetAttributeAsync("content");
        Assert.DoesNotContain("user-scalable=no", viewport);
        Assert.DoesNotContain("maximum-scale", viewport);

        await page.GetByLabel("手机号").FocusAsync();
        await page.Keyboard.TypeAsync(PhoneSite.Phone);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(PhoneSite.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}")).ToBeVisibleAsync();

        // Tab to the top-up button, open the sheet: focus lands on the amount, which has its label.
        await TabToAsync(page, "m-topup");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("充值金额（元）")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("12.5");
        await TabToAsync(page, "m-channel-alipay");
        await page.Keyboard.PressAsync("ArrowRight"); // native radios: the arrow moves the choice
        await Assertions.Expect(page.GetByTestId("m-channel-wechat")).ToBeCheckedAsync();
        await TabToAsync(page, "m-pay");
        await Assertions.Expect(page.GetByTestId("m-pay")).ToHaveTextAsync("去支付 ¥12.50");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/demo/pay/PP"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("微信支付");

        // Back on the page, the accounts' tabs move with the arrow keys.
        await page.GoBackAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Shop}")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = $"#{site.Shop}" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = $"#{site.Kiosk}" })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Kiosk}")).ToBeVisibleAsync();
        phone.AssertClean();
    }

    static async Task TabToAsync(IPage page, string testId)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("document.activeElement?.closest('[data-testid]')?.dataset.testid") == testId) return;
        }
        Assert.Fail($"{testId} is not reachable with the Tab key");
    }
}
