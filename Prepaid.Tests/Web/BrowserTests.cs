using Microsoft.Playwright;
using MiniExcelLibs;

namespace Prepaid.Tests.Web;

/// <summary>
/// Acceptance in a real browser: headless Debian Chromium against the platform on Kestrel. Screenshots of the main
/// pages land in TestResults/screenshots. The batch-trip test over simulated meters is in BatchBrowserTests.
/// </summary>
[Collection("browser")]
public class BrowserTests(Chromium chromium)
{

    async Task<IPage> PageAsync(LiveSite site, bool phone = false)
    {
        var context = await chromium.Browser.NewContextAsync(phone
            ? new() { BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, AcceptDownloads = true }
            : new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    static async Task SignInAsync(IPage page, string username = "admin", string password = Support.PrepaidApp.AdminPassword)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("username").FillAsync(username);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToBeVisibleAsync();
    }

    static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath(name), FullPage = true });

    [Fact]
    public async Task SignIn_ShowsTheSiteOverviewWithCountsPerState()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site);
        await SignInAsync(page);
        await Assertions.Expect(page.GetByTestId("count-total")).ToHaveTextAsync("4");
        await Assertions.Expect(page.GetByTestId("count-notOpened").Locator(".count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-alarm1").Locator(".count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("count-normal").Locator(".count")).ToHaveTextAsync("2");
        await Shot(page, "overview");
    }

    [Fact]
    public async Task Reading_ChangesTheGridAndTheAccountBalance_WithoutReload()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site);
        await SignInAsync(page);
        await page.GetByTestId("nav-meters").ClickAsync();
        var balance = page.GetByTestId($"balance-{site.E1}");
        await Assertions.Expect(balance).ToHaveTextAsync("50.00");
        await Assertions.Expect(page.Locator("body[data-live=on]")).ToHaveCountAsync(1);

        await site.ReadingAsync(site.E1, "2026-11-02T09:00:00+08:00", "105"); // 5 kWh at 1.00
        await Assertions.Expect(balance).ToHaveTextAsync("45.00");
        await Shot(page, "meters");

        await page.GotoAsync($"/accounts/{site.Account1}");
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 45.00");
        await Assertions.Expect(page.Locator("body[data-live=on]")).ToHaveCountAsync(1);
        await site.ReadingAsync(site.E1, "2026-11-02T10:00:00+08:00", "112"); // 7 more
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 38.00");
        await Assertions.Expect(page.GetByTestId("ledger")).ToContainTextAsync("-7.00");
        await Shot(page, "account");
    }

    [Fact]
    public async Task SalesReport_DownloadsAsExcel_WithTheExpectedRows()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site);
        await SignInAsync(page);
        await page.GotoAsync("/reports?name=sales&from=2026-11-01&to=2026-11-03");
        await page.GetByTestId("report-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync("145.00");
        await Shot(page, "reports");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-excel").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), $"prepaid-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(file);
        try
        {
            var rows = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            var row = Assert.Single(rows);
            // The page asks in its language (zh-CN): headers and channel as words a person reads.
            Assert.Equal("2026-11-02", row["日期"]);
            Assert.Equal("现金", row["渠道"]);
            Assert.Equal(3m, Convert.ToDecimal(row["笔数"]));
            Assert.Equal(145m, Convert.ToDecimal(row["金额"]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TenantPhonePage_ShowsOnlyThatTenantsAccounts()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site, phone: true);
        await page.GotoAsync("/m/");
        await page.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
        await page.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
        await page.GetByTestId("m-sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Account1}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".accounts > .van-tabs__wrap .van-tab")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".accounts > .van-tabs__wrap .van-tabs__nav")).ToContainTextAsync($"#{site.Account2}");
        await Assertions.Expect(page.Locator(".accounts > .van-tabs__wrap .van-tabs__nav")).Not.ToContainTextAsync($"#{site.Account3}");
        await Assertions.Expect(page.GetByTestId("m-balance").First).ToHaveTextAsync("¥ 50.00");
        await Shot(page, "tenant-phone");

        // The nearly empty account shows the low-balance banner; a reading moves its balance live.
        await page.Locator(".accounts > .van-tabs__wrap .van-tab", new() { HasText = $"#{site.Account2}" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-low-balance").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("body[data-hub=on]")).ToHaveCountAsync(1);
        await site.ReadingAsync(site.E2, "2026-11-02T09:00:00+08:00", "203");
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Account2}").GetByTestId("m-balance")).ToHaveTextAsync("¥ 12.00");
        await Shot(page, "tenant-phone-low-balance");
    }

    [Fact]
    public async Task LanguageSwitch_ChangesEveryLabel_AndIsRemembered()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site);
        await SignInAsync(page);
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToHaveTextAsync("电表");
        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToHaveTextAsync("Meters");
        await Assertions.Expect(page.GetByTestId("count-arrears")).ToContainTextAsync("Arrears");
        await Shot(page, "overview-en");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToHaveTextAsync("Meters");
        await page.GetByTestId("lang-zh").ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-arrears")).ToContainTextAsync("欠费");
    }

    [Fact]
    public async Task CounterTopUp_PrintsAReceipt_AndTheOtherPagesRender()
    {
        await using var site = await LiveSite.StartAsync();
        var page = await PageAsync(site);
        await SignInAsync(page);
        await page.GotoAsync($"/topup?account={site.Account3}");
        await page.GetByTestId("topup-amount").FillAsync("20.00");
        await page.GetByTestId("topup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("receipt-balance")).ToHaveTextAsync("100.00");
        await Shot(page, "topup-receipt");

        await page.GotoAsync("/tariffs");
        await Assertions.Expect(page.GetByTestId("tou-bar")).ToHaveCountAsync(1);
        await Shot(page, "tariffs");
        await page.GotoAsync("/open");
        await Assertions.Expect(page.GetByTestId("open-name")).ToBeVisibleAsync();
        await Shot(page, "open-account");
        await page.GotoAsync("/alarms");
        await Shot(page, "alarms");
        await page.GotoAsync("/apportionments");
        await Shot(page, "apportionments");
        await page.GotoAsync("/users");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("13800000001");
        await Shot(page, "users");
    }
}
