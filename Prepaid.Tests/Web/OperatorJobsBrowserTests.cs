using Microsoft.Playwright;
using MiniExcelLibs;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The operator's daily jobs done by clicking, in Chinese and in English, each ending with no console error, no failed
/// request and no untranslated label: register a meter and open an account on it, top up and print, change thresholds
/// and tariff, export raw readings; the overview's figures, the pending trip at night, and what a cashier may not open.
/// </summary>
[Collection("browser")]
public class OperatorJobsBrowserTests(Chromium chromium)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_RegistersAMeter_OpensAnAccountOnIt_TopsUpAndPrints(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();

        await page.GetByTestId("nav-meters").ClickAsync();
        await page.GetByTestId("register-meter").ClickAsync();
        await page.GetByTestId("reg-serial").FillAsync("N-101");
        await page.GetByTestId("reg-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("register-dialog")).ToBeHiddenAsync();
        await page.GetByTestId("grid-search").FillAsync("N-101");
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("1 /");
        var meterId = (await site.Admin.GetOkAsync($"/api/meters?siteId={site.Site.SiteId}")).EnumerateArray().Single(m => m.Str("serial") == "N-101").Id();
        await Assertions.Expect(page.GetByTestId($"state-{meterId}")).ToContainTextAsync(b.L("未开户", "Not opened"));

        await page.GetByTestId("nav-open").ClickAsync();
        await page.GetByTestId("open-name").FillAsync("Bakery 面包店");
        await page.GetByTestId("open-phone").FillAsync("13800000101");
        await page.GetByTestId("open-next").ClickAsync();
        await b.ChooseAsync(page.GetByTestId("open-meter"), "N-101");
        await Assertions.Expect(page.GetByTestId("open-meters")).ToContainTextAsync("N-101");
        await page.GetByTestId("open-next").ClickAsync();
        await page.GetByTestId("open-alarm1").FillAsync("30.00");
        await page.GetByTestId("open-next").ClickAsync();
        await b.ShotAsync("open-account");
        await page.GetByTestId("open-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 0.00");
        var accountId = long.Parse(page.Url.Split('/').Last());
        Assert.Equal(meterId, (await site.Admin.GetOkAsync($"/api/accounts/{accountId}")).GetProperty("meters")[0].GetProperty("meterId").GetInt64());

        await page.GetByTestId("account-topup").ClickAsync();
        await page.GetByTestId("topup-amount").FillAsync("50.00");
        await page.GetByTestId("topup-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("receipt-balance")).ToHaveTextAsync("50.00");
        await Assertions.Expect(page.GetByTestId("receipt")).ToContainTextAsync("Bakery 面包店");
        await b.ShotAsync("topup-receipt");

        // The print view is the receipt alone: no navigation, header, form or buttons.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nav-meters")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("sign-out")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("topup-submit")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("receipt-print")).ToBeHiddenAsync();
        await b.ShotAsync("topup-receipt-print");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // The meter has never reported: the grid says offline, not online.
        await page.GetByTestId("nav-meters").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"online-{meterId}")).ToContainTextAsync(b.L("离线", "Offline"));
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_ChangesThresholdsAndTariff_OnTheAccountPage(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        var tou = (await site.Admin.GetOkAsync($"/api/tariffs?siteId={site.Site.SiteId}")).EnumerateArray().Single(x => x.Str("name") == "商铺分时 TOU").Id();
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GotoAsync($"/accounts/{site.Account1}");
        await Assertions.Expect(page.GetByTestId("account-state")).ToContainTextAsync(b.L("正常", "Normal"));

        await page.GetByTestId("account-edit").ClickAsync();
        await page.GetByTestId("edit-alarm1").FillAsync("60.00");
        await page.GetByTestId("edit-alarm2").FillAsync("40.00");
        await b.ChooseAsync(page.GetByTestId($"edit-tariff-{site.E1}"), "商铺分时 TOU");
        await b.ShotAsync("account-edit");
        await page.GetByTestId("edit-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("edit-dialog")).ToBeHiddenAsync();

        // R16 on the unchanged balance of 50.00: alarm 1 now, shown at once and in the grid.
        await Assertions.Expect(page.GetByTestId("account-alarm1")).ToHaveTextAsync("60.00");
        await Assertions.Expect(page.GetByTestId("account-state")).ToContainTextAsync(b.L("一级告警", "Alarm 1"));
        await Assertions.Expect(page.GetByTestId($"account-tariff-{site.E1}")).ToHaveTextAsync("商铺分时 TOU");
        var account = await site.Admin.GetOkAsync($"/api/accounts/{site.Account1}");
        Assert.Equal("alarm1", account.Str("state"));
        Assert.Equal(tou, account.GetProperty("meters")[0].GetProperty("tariffId").GetInt64());
        await page.GetByTestId("nav-meters").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"state-{site.E1}")).ToContainTextAsync(b.L("一级告警", "Alarm 1"));
        await b.ShotAsync("meters");
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_ExportsAMetersRawReadings_AsCsvAndExcel(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.ReadingAsync(site.E1, "2026-11-02T09:00:00+08:00", "105");
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-meters").ClickAsync();
        await page.GetByTestId($"serial-{site.E1}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("meter-readings")).ToContainTextAsync("105");
        await Assertions.Expect(page.GetByTestId("meter-readings")).ToContainTextAsync(b.L("已计费", "Billed"));
        await b.DatesAsync(page.GetByTestId("export-range"), "2026-11-02", "2026-11-02");
        await b.ShotAsync("meter");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        Assert.Equal("readings-E-1-20261102-20261102.csv", csv.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync())).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,total,sharp,peak,flat,valley,status,reason,quantity,amount,source,estimated,enteredBy,enteredAt,power", lines[0]);
        Assert.Equal(["baseline", "billed", "billed"], lines[1..].Select(l => l.Split(',')[6]).ToArray());
        Assert.StartsWith("2026-11-02T09:00:00.000+08:00,105,", lines[3]);

        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-xlsx").ClickAsync());
        var rows = MiniExcel.Query(await xlsx.PathAsync(), useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(5m, Convert.ToDecimal(rows[2]["amount"]));
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Overview_ShowsTodaysMoney_TheTrend_AndWhatNeedsAttention_EachAClickAway(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.ReadingAsync(site.E1, "2026-11-02T08:30:00+08:00", "102.5"); // 2.50 of consumption today
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await Assertions.Expect(page.GetByTestId("fig-topups-total")).ToHaveTextAsync("¥ 145.00");
        await Assertions.Expect(page.GetByTestId("fig-topup-cash")).ToContainTextAsync(b.L("现金", "Cash"));
        await Assertions.Expect(page.GetByTestId("fig-consumption-total")).ToHaveTextAsync("¥ 2.50");
        await Assertions.Expect(page.GetByTestId("fig-pending-count")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("trend-chart")).ToBeVisibleAsync();
        await page.GetByTestId("trend-30").ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-total")).ToHaveTextAsync("4");
        await b.ShotAsync("overview");

        // Each figure opens its list: today's top-ups open the sales report of the site's day.
        await page.GetByTestId("fig-topups").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/reports\\?name=sales&from=2026-11-02&to=2026-11-03"));
        await page.GetByTestId("report-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync("145.00");
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync(b.L("渠道", "Channel"));
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync(b.L("现金", "Cash"));
        await b.ShotAsync("reports");
        await page.GetByTestId("nav-overview").ClickAsync();
        await page.GetByTestId("count-alarm1").ClickAsync();
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("1 / 4");

        // The quick entries and the navigation are reachable by keyboard and carry their names.
        await page.GetByTestId("nav-overview").ClickAsync();
        await page.GetByTestId("quick-sell").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("topup-submit")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel(b.L("金额", "Amount"), new() { Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = b.L("主导航", "Main navigation") })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = b.L("电表", "Meters"), Exact = true })).ToHaveAttributeAsync("href", "/meters");
        await b.AssertCleanAsync();
    }

    [Theory] // R16: at night an account in arrears keeps its supply until the friendly window ends, and every page says when
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task PendingTrip_AtNight_IsShownWithItsTime_InTheGridOverviewAndAccount(string lang)
    {
        await using var site = await LiveSite.StartAsync(new { nightFrom = "22:00", nightTo = "07:00" }, DateTimeOffset.Parse("2026-11-02T23:00:00+08:00"));
        await site.Site.ReadingsAsync(new { meterId = site.E2, at = "2026-11-02T22:30:00+08:00", registers = new { total = "216" } }); // 15.00 − 16.00
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await Assertions.Expect(page.GetByTestId("fig-pending-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("fig-pending")).ToContainTextAsync(b.L("待拉闸 07:00", "Trip at 07:00"));
        await page.GetByTestId("fig-pending").ClickAsync();
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("1 / 4");
        await Assertions.Expect(page.GetByTestId($"pending-{site.E2}")).ToHaveTextAsync(b.L("待拉闸 07:00", "Trip at 07:00"));
        await Assertions.Expect(page.GetByTestId($"relay-{site.E2}")).ToHaveTextAsync(b.L("未知", "Unknown"));
        await b.ShotAsync("meters-pending-trip");
        await page.GetByTestId($"account-link-{site.E2}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-pending")).ToContainTextAsync("07:00");
        await Assertions.Expect(page.GetByTestId("account-pending")).ToContainTextAsync("2026-11-03 07:00");
        await b.ShotAsync("account-pending-trip");
        await b.AssertCleanAsync();
    }

    [Theory] // A cashier who opens the users page by its address sees "not allowed", and no request for users goes out
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Cashier_OpeningUsers_SeesNotAllowed_AndSendsNoRequest(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync("/api/users", new { username = "cash-1", password = "cash-1-password", role = "cashier", siteIds = new[] { site.Site.SiteId } });
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        var asked = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/api/")) asked.Add(r.Url); };
        await b.SignInAsync("cash-1", "cash-1-password");
        await Assertions.Expect(page.GetByTestId("nav-users")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-open")).ToHaveCountAsync(0);
        await page.GotoAsync("/users");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToContainTextAsync(b.L("无权访问", "Not allowed"));
        await b.ShotAsync("forbidden");
        Assert.DoesNotContain(asked, u => u.Contains("/api/users"));
        Assert.DoesNotContain(asked, u => u.Contains("siteId=null") || u.Contains("siteId=undefined"));
        await b.AssertCleanAsync();
    }

    [Theory] // The remaining pages render in each language with every label translated and no failed request
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task TariffsAlarmsAndCommandLog_RenderTranslated(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync($"/api/meters/{site.E1}/commands", new { kind = "trip" });
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-tariffs").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tou-bar")).ToContainTextAsync(b.L("谷", "Valley"));
        await b.ShotAsync("tariffs");
        await page.GetByTestId("nav-alarms").ClickAsync();
        await Assertions.Expect(page.GetByTestId("live-alarms")).ToBeVisibleAsync();
        await b.ShotAsync("alarms");
        await page.GotoAsync("/reports?name=commands&from=2026-11-01&to=2026-11-03");
        await page.GetByTestId("report-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync(b.L("拉闸", "Trip"));
        await Assertions.Expect(page.GetByTestId("report-table")).ToContainTextAsync(b.L("失败", "Failed")); // the meter has no connection
        await b.ShotAsync("reports-commands");
        await b.AssertCleanAsync();
    }
}
