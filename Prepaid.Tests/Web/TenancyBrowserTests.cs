using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Tenancy by clicking, in Chromium: a move-out with a refund through the original channel (R26, R25), a meter swap
/// (R27), a rent agreement that trips the account (R28), in Chinese and in English, with no console errors.
/// </summary>
[Collection("browser")]
public class TenancyBrowserTests(Chromium chromium)
{
    async Task<(IPage Page, ConcurrentQueue<string> Errors)> PageAsync(LiveSite site, bool phone = false)
    {
        var context = await chromium.Browser.NewContextAsync(phone
            ? new() { BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true }
            : new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 1000 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Enqueue(m.Text); };
        page.PageError += (_, e) => errors.Enqueue(e);
        return (page, errors);
    }

    static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("username").FillAsync("admin");
        await page.GetByTestId("password").FillAsync(PrepaidApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToBeVisibleAsync();
    }

    static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath(name), FullPage = true });

    [Fact] // R26 with R25: the dialog previews the settlement, refunds the Alipay part through Alipay, the rest in cash, and prints a receipt
    public async Task MoveOut_WithARefundThroughTheOriginalChannel_ByClicking_ZhCn_R26()
    {
        await using var site = await LiveSite.StartAsync(settings: new Dictionary<string, string>
        {
            [InProcessFakes.Switch] = "true", ["Prepaid:Payments:ScheduleJobs"] = "false",
        });
        // 30.00 paid with Alipay on top of the 50.00 cash: 80.00; a reading of 5 kWh leaves 75.00.
        var order = await site.Admin.PostOkAsync($"/api/accounts/{site.Account1}/payments", new { amount = "30.00", channel = "alipay", method = "qr" });
        var paid = site.App.Services.GetRequiredService<FakeAlipayGateway>().Pay(order.Str("outTradeNo"));
        Assert.Equal("success", await (await site.Admin.PostAsync("/api/payments/alipay/notify", new FormUrlEncodedContent(paid))).Content.ReadAsStringAsync());
        await site.ReadingAsync(site.E1, "2026-11-02T09:00:00+08:00", "105");
        var (page, errors) = await PageAsync(site);
        await SignInAsync(page);

        await page.GotoAsync($"/accounts/{site.Account1}");
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 75.00");
        await page.GetByTestId("account-close").ClickAsync();
        var dialog = page.GetByTestId("moveout-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("退租结算");
        await Assertions.Expect(page.GetByTestId($"moveout-reading-{site.E1}")).ToHaveValueAsync("105");
        await page.GetByTestId("moveout-preview").ClickAsync();
        await Assertions.Expect(page.GetByTestId("moveout-final")).ToHaveTextAsync("75.00");
        await Assertions.Expect(page.GetByTestId("moveout-refunded")).ToHaveTextAsync("30.00");
        await Assertions.Expect(page.GetByTestId("moveout-cash")).ToHaveTextAsync("45.00");
        await Assertions.Expect(page.GetByTestId("moveout-settlement")).ToContainTextAsync("已存读数");
        await Shot(page, "moveout-preview");
        await page.GetByTestId("moveout-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("moveout-print")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("moveout-settlement")).ToContainTextAsync("退租结算单");
        await Shot(page, "moveout-receipt");
        await page.GetByTestId("moveout-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-closed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 0.00");

        var refund = (await site.Admin.GetOkAsync($"/api/accounts/{site.Account1}/refunds")).EnumerateArray().Single();
        Assert.Equal("30.00", refund.Str("amount"));
        Assert.Equal("succeeded", refund.Str("state"));
        Assert.True((await site.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        Assert.Empty(errors);
    }

    [Fact] // R27: the swap dialog in English: the new meter takes the account's place, the old series stays readable
    public async Task MeterSwap_ByClicking_English_R27()
    {
        await using var site = await LiveSite.StartAsync();
        await site.ReadingAsync(site.E3, "2026-11-02T09:00:00+08:00", "302");
        site.App.Time.SetUtcNow(DateTimeOffset.UtcNow); // the dialog proposes the browser's now
        var admin = await site.SignInAsync("admin", PrepaidApp.AdminPassword);
        var (page, errors) = await PageAsync(site);
        await SignInAsync(page);
        await page.GetByTestId("lang-en").ClickAsync();

        await page.GotoAsync($"/accounts/{site.Account3}");
        await Assertions.Expect(page.GetByTestId($"swap-open-{site.E3}")).ToHaveTextAsync("Swap meter");
        await page.GetByTestId($"swap-open-{site.E3}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("swap-dialog")).ToContainTextAsync("Meter swap");
        await Assertions.Expect(page.GetByTestId("swap-final")).ToHaveValueAsync("302");
        await page.GetByTestId("swap-serial").FillAsync("E-3-NEW");
        await page.GetByTestId("swap-initial").FillAsync("0.5");
        await page.GetByTestId("swap-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("swap-done")).ToContainTextAsync("Swapped: new meter E-3-NEW");
        await Shot(page, "meter-swap");
        await page.GetByTestId("swap-close").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("E-3-NEW");

        var account = await admin.GetOkAsync($"/api/accounts/{site.Account3}");
        var meter = account.GetProperty("meters").EnumerateArray().Single();
        Assert.Equal("E-3-NEW", meter.Str("serial"));
        Assert.Equal("78.00", account.Str("balance"));             // 80.00 less the 2 kWh at 1.00 before the swap
        Assert.Contains((await admin.GetOkAsync($"/api/meters/{site.E3}/readings")).EnumerateArray(), r => r.GetProperty("registers").Str("total") == "302");
        Assert.Empty(errors);
    }

    [Fact] // R28 with R16: a rent agreement made in the account page takes the wallet into arrears and the account trips; both languages
    public async Task RentAgreement_TripsTheAccount_ByClicking_ZhCnAndEnglish_R28()
    {
        await using var site = await LiveSite.StartAsync();
        var (page, errors) = await PageAsync(site);
        await SignInAsync(page);
        await page.GotoAsync($"/accounts/{site.Account2}");
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 15.00");

        await page.GetByTestId("charge-add").ClickAsync();
        await page.GetByTestId("charge-amount").FillAsync("3000.00");
        await page.GetByTestId("charge-save").ClickAsync();

        // 2 November to 30 November: 29 of 30 days of 3,000.00.
        await Assertions.Expect(page.GetByTestId("charges-posted")).ToContainTextAsync("2900.00");
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ -2885.00");
        await Assertions.Expect(page.GetByTestId("account-state")).ToHaveTextAsync("欠费");
        await Assertions.Expect(page.GetByTestId("ledger")).ToContainTextAsync("房租");
        await Shot(page, "rent-arrears-zh");
        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-state")).ToHaveTextAsync("Arrears");
        await Assertions.Expect(page.GetByTestId("ledger")).ToContainTextAsync("Rent");
        await Assertions.Expect(page.GetByTestId("agreements")).ToContainTextAsync("Monthly");
        await Shot(page, "rent-arrears-en");

        var outbox = (await site.Admin.GetOkAsync("/api/outbox?kind=switchRequested")).EnumerateArray().ToList();
        Assert.Contains(outbox, o => o.GetProperty("meterId").GetInt64() == site.E2 && o.GetRawText().Contains("trip"));
        Assert.Equal("trip", (await site.Admin.GetOkAsync($"/api/accounts/{site.Account2}")).Str("lastSwitchRequested"));

        // The tenant's phone page shows the charge among the account's lines.
        var (phone, phoneErrors) = await PageAsync(site, phone: true);
        await phone.GotoAsync("/m/");
        await phone.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
        await phone.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
        await phone.GetByTestId("m-sign-in").ClickAsync();
        await phone.Locator(".van-tab", new() { HasText = $"#{site.Account2}" }).ClickAsync();
        await phone.GetByTestId($"m-account-{site.Account2}").Locator(".van-tab", new() { HasText = "固定费用" }).ClickAsync();
        await Assertions.Expect(phone.GetByTestId($"m-charges-{site.Account2}")).ToContainTextAsync("2,900.00");
        await Shot(phone, "tenant-phone-charges");
        Assert.Empty(errors);
        Assert.Empty(phoneErrors);
    }
}
