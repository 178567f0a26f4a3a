using System.Text;
using Microsoft.Playwright;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// R30 and R31 in a real browser, by clicking, in Chinese and in English: an import with bad rows (each row's outcome
/// on screen and in the downloaded report), and the meter page's manual reading form and estimate button. The page must
/// log no console error.
/// </summary>
[Collection("browser")]
public class DataQualityBrowserTests(Chromium chromium)
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    sealed record Session(IPage Page, List<string> Errors);

    async Task<Session> PageAsync(LiveSite site)
    {
        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/signin");
        await page.GetByTestId("username").FillAsync("admin");
        await page.GetByTestId("password").FillAsync(PrepaidApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToBeVisibleAsync();
        return new Session(page, errors);
    }

    static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath(name), FullPage = true });

    static async Task LanguageAsync(IPage page, string language)
    {
        await page.GetByTestId(language == "zh-CN" ? "lang-zh" : "lang-en").ClickAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToHaveTextAsync(language == "zh-CN" ? "电表" : "Meters");
    }

    /// <summary>Good and bad rows of E-1 (opened at 100 on 2 November 08:00 with 50.00): 10 kWh an hour, the hour makes each language's file its own.</summary>
    static string Csv(int hour)
    {
        var total = 100 + (hour - 8) * 10;
        return "serial,at,total\r\n" +
            $"E-1,2026-11-02 {hour:00}:00,{total}\r\n" +      // row 2: billed 10.00
            $"NOPE-1,2026-11-02 {hour:00}:30,{total + 1}\r\n" + // row 3: no such meter
            $"E-1,yesterday,{total + 2}\r\n" +                  // row 4: no time
            $"E-1,2026-11-02 {hour:00}:45,-3\r\n" +              // row 5: a negative register
            $"E-1,2026-11-02 {hour:00}:00,{total}\r\n";          // row 6: the same as row 2
    }

    [Fact]
    public async Task ImportWithBadRows_ByClicking_ShowsEachRowsOutcome_InChineseAndEnglish_AndDownloadsTheReport_R31()
    {
        await using var site = await LiveSite.StartAsync();
        var (page, errors) = await PageAsync(site);
        foreach (var (language, hour, rejected, billed, balance) in new[] { ("zh-CN", 9, "拒收", "已计费", "40.00"), ("en", 10, "Rejected", "Billed", "30.00") })
        {
            await LanguageAsync(page, language);
            await page.GetByTestId("nav-import").ClickAsync();
            await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = $"readings-{language}.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv(hour)),
            });
            await page.GetByTestId("import-run").ClickAsync();
            await Assertions.Expect(page.GetByTestId("import-table")).ToBeVisibleAsync();
            foreach (var (row, status) in new[] { (2, "billed"), (3, "rejected"), (4, "rejected"), (5, "rejected"), (6, "duplicate") })
                await Assertions.Expect(page.GetByTestId($"import-status-{row}")).ToHaveAttributeAsync("data-status", status);
            await Assertions.Expect(page.GetByTestId("import-status-3")).ToHaveTextAsync(rejected);
            await Assertions.Expect(page.GetByTestId("import-status-2")).ToHaveTextAsync(billed);
            await Assertions.Expect(page.GetByTestId("import-table")).ToContainTextAsync("No meter has serial NOPE-1");
            await Assertions.Expect(page.GetByTestId("import-count-rejected")).ToContainTextAsync("3");
            await Shot(page, $"import-bad-rows-{language}");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("import-download").ClickAsync());
            Assert.EndsWith("-outcome.xlsx", download.SuggestedFilename);
            var path = Path.Combine(Path.GetTempPath(), $"prepaid-{Guid.NewGuid():N}.xlsx");
            await download.SaveAsAsync(path);
            try
            {
                var sheet = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
                Assert.Equal(["billed", "rejected", "rejected", "rejected", "duplicate"], sheet.Select(r => (string)r["status"]!).ToArray());
                Assert.StartsWith("total:", (string)sheet[3]["reason"]!);
            }
            finally
            {
                File.Delete(path);
            }
            Assert.Equal(balance, await site.Site.BalanceAsync(site.Account1));
        }
        Assert.True(errors.Count == 0, "Console errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public async Task MeterPage_EstimateButtonAndManualReadingForm_ByClicking_InChineseAndEnglish_R30_R31()
    {
        await using var site = await LiveSite.StartAsync();
        // E-3 (account 3, opened at 300 on 2 November 08:00, 80.00): read every midnight up to the 10th, 5 kWh a day (40.00 billed).
        for (var d = 3; d <= 10; d++)
            await site.Site.ReadingsAsync(new { meterId = site.E3, at = new DateTimeOffset(2026, 11, d, 0, 0, 0, China).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                registers = new { total = (300 + 5 * (d - 2)).ToString() } });
        site.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 13, 9, 0, 0, China));
        var admin = await site.SignInAsync("admin", PrepaidApp.AdminPassword); // the seed's token has expired on the moved clock
        async Task<string> Balance() => (await admin.GetOkAsync($"/api/accounts/{site.Account3}")).Str("balance");
        var (page, errors) = await PageAsync(site);

        await LanguageAsync(page, "zh-CN");
        await page.GetByTestId("nav-meters").ClickAsync();
        await page.GetByTestId($"serial-{site.E3}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("meter-serial")).ToContainTextAsync("E-3");
        await page.Locator("#tab-estimate").ClickAsync();
        var day = page.Locator("[data-testid=estimate-day] input");
        await day.FillAsync("2026-11-12");
        await day.PressAsync("Enter");
        await page.GetByTestId("estimate-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("estimate-outcome")).ToContainTextAsync("2026-11-12 23:59:59");
        await Assertions.Expect(page.GetByTestId("estimate-outcome")).ToContainTextAsync("估算");
        // 40 kWh over the 7⅔ days from the opening to the 10th: 5.22 a day (rounded to the register's 0.01), at the flat 1.00.
        Assert.Equal("34.78", await Balance());

        await page.Locator("#tab-manual").ClickAsync();
        await page.GetByTestId("manual-at").FillAsync("2026-11-13 08:00");
        await page.GetByTestId("manual-total").FillAsync("360");
        await page.GetByTestId("manual-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("manual-outcome")).ToContainTextAsync("已计费");
        // The estimate is superseded: real readings alone, 360 − 300 = 60 kWh since the opening, 60.00 in all.
        Assert.Equal("20.00", await Balance());

        var table = page.GetByTestId("meter-readings");
        await Assertions.Expect(table).ToContainTextAsync("已被实抄取代");
        await Assertions.Expect(table).ToContainTextAsync("admin · 2026-11-13 09:00");
        await Shot(page, "meter-page-zh");

        await LanguageAsync(page, "en");
        await Assertions.Expect(table).ToContainTextAsync("Superseded by a real reading");
        await Assertions.Expect(table).ToContainTextAsync("Billed");
        await page.Locator("#tab-manual").ClickAsync();
        await page.GetByTestId("manual-at").FillAsync("2026-11-13 08:30");
        await page.GetByTestId("manual-total").FillAsync("361");
        await page.GetByTestId("manual-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("manual-outcome")).ToContainTextAsync("Billed");
        await Assertions.Expect(table).ToContainTextAsync("Entered by hand");
        await Shot(page, "meter-page-en");

        // The account's chart: estimated bars and days without data.
        await page.GotoAsync($"/accounts/{site.Account3}");
        await Assertions.Expect(page.GetByTestId("chart-legend")).ToContainTextAsync("no data");
        await Assertions.Expect(page.GetByTestId("consumption-chart")).Not.ToHaveAttributeAsync("data-no-data", "0");
        await Assertions.Expect(page.GetByTestId("consumption-chart")).Not.ToHaveAttributeAsync("data-estimated", "0");
        await Shot(page, "account-chart-gaps");
        Assert.True(errors.Count == 0, "Console errors:\n" + string.Join("\n", errors));
    }
}
