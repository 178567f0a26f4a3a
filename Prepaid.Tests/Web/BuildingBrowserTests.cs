using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepaid.Api.Building;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The building's checks and money by clicking, in Chinese and English: a circuit made on the page and its balance per day
/// with the alarm and a "no data" day (R32), a leak alarm on the alarms page (R33), a compensation previewed and posted (R35).
/// </summary>
[Collection("browser")]
public class BuildingBrowserTests(Chromium chromium)
{
    static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-05T09:00:00+08:00");

    [Theory] // R32: subs at 95 % alarm at a 4 % threshold; a day a sub-meter did not report is "no data"; R33: the leak shows among the alarms
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_MakesACircuit_ReadsItsBalance_SeesLeakAndCircuitAlarms_R32_R33(string lang)
    {
        await using var site = await LiveSite.StartAsync(now: Now);
        foreach (var serial in new[] { "MAIN", "SUB-A", "SUB-B" })
            await site.Admin.PostOkAsync("/api/meters", new { siteId = site.Site.SiteId, serial, utility = "electricity", ratedMaxPerHour = "1000" });
        var water = await site.Site.MeterAsync("W-9", "water");
        string[] days = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];
        var readings = new List<object>();
        foreach (var (serial, totals) in new[] { ("MAIN", new[] { "0", "200", "400", "600" }), ("SUB-A", ["0", "100", "200", "300"]), ("SUB-B", ["0", "90", "190", ""]) })
            for (var d = 0; d < days.Length; d++)
                if (totals[d] != "") readings.Add(new { serial, at = $"{days[d]}T00:00:00+08:00", registers = new { total = totals[d] } });
        // The water meter: 0.1 m³ every hour for the 27 hours up to now.
        var start = DateTimeOffset.Parse("2026-12-04T06:00:00+08:00");
        readings.AddRange(Enumerable.Range(0, 28).Select(h => (object)new { meterId = water, at = start.AddHours(h).ToString("o"), registers = new { total = $"{h / 10m}" } }));
        await site.Site.ReadingsAsync([.. readings]);
        await site.App.Services.GetRequiredService<BuildingChecks>().LeaksAsync(Now);

        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-circuits").ClickAsync();
        await page.GetByTestId("circuit-create").ClickAsync();
        await page.GetByTestId("circuit-name").FillAsync("Riser 1");
        await b.ChooseAsync(page.GetByTestId("circuit-master"), "MAIN");
        // The master's list (which names the sub-meters too) has closed before the sub-meters' opens.
        await Assertions.Expect(page.Locator(".el-select-dropdown__item:visible", new() { HasText = "MAIN (" })).ToHaveCountAsync(0);
        await b.ChooseManyAsync(page.GetByTestId("circuit-subs"), "SUB-A", "SUB-B");
        await page.GetByTestId("circuit-threshold").FillAsync("4");
        await page.GetByTestId("circuit-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("circuits")).ToContainTextAsync("Riser 1");
        var circuit = Assert.Single((await site.Admin.GetOkAsync($"/api/circuits?siteId={site.Site.SiteId}")).EnumerateArray());
        Assert.Equal("4", circuit.Str("thresholdPct"));
        var id = circuit.Id();

        await page.GetByTestId($"circuit-show-{id}").ClickAsync();
        await b.DatesAsync(page.GetByTestId("balance-period"), "2026-11-02", "2026-11-04");
        await page.GetByTestId("balance-load").ClickAsync();
        await Assertions.Expect(page.GetByTestId("balance-pct-2026-11-02")).ToHaveTextAsync("5.00 %");
        await Assertions.Expect(page.GetByTestId("balance-alarm-2026-11-02")).ToHaveTextAsync(b.L("超阈值", "Over threshold"));
        await Assertions.Expect(page.GetByTestId("balance-pct-2026-11-03")).ToHaveTextAsync("0.00 %");
        await Assertions.Expect(page.GetByTestId("balance-alarm-2026-11-03")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("balance-nodata-2026-11-04")).ToHaveTextAsync(b.L("无数据", "No data"));
        await Assertions.Expect(page.GetByTestId("balance-chart")).ToBeVisibleAsync();
        await b.ShotAsync("circuit-balance");

        await site.App.Services.GetRequiredService<BuildingChecks>().CircuitsAsync(DateTimeOffset.Parse("2026-11-03T08:00:00+08:00"));
        await page.GetByTestId("nav-alarms").ClickAsync();
        var open = page.GetByTestId("alarm-list");
        await Assertions.Expect(open).ToContainTextAsync(b.L("漏水", "Leak"));
        await Assertions.Expect(open).ToContainTextAsync("W-9");
        await Assertions.Expect(open).ToContainTextAsync(b.L("回路不平衡", "Circuit imbalance"));
        await page.GetByTestId("nav-circuits").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"circuit-alarm-{id}")).ToHaveTextAsync(b.L("回路不平衡", "Circuit imbalance"));
        await b.AssertCleanAsync();
    }

    [Theory] // R35: a bill of 50.00 against 40.00 charged: the 10.00 is previewed, then posted 2.50 and 7.50; R22 holds
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_PreviewsAndPostsACompensation_R35_R22(string lang)
    {
        await using var site = await LiveSite.StartAsync(now: Now);
        await site.Site.ReadingsAsync(
            new { meterId = site.E1, at = "2026-11-10T08:00:00+08:00", registers = new { total = "110" } },
            new { meterId = site.E3, at = "2026-11-10T08:00:00+08:00", registers = new { total = "330" } });
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-compensations").ClickAsync();
        await b.DatesAsync(page.GetByTestId("comp-period"), "2026-11-01", "2026-11-30");
        await page.GetByTestId("comp-bill").FillAsync("50.00");
        await page.GetByTestId("comp-preview").ClickAsync();
        await Assertions.Expect(page.GetByTestId("comp-charged")).ToHaveTextAsync("¥ 40.00");
        await Assertions.Expect(page.GetByTestId("comp-difference")).ToHaveTextAsync("¥ 10.00");
        await Assertions.Expect(page.GetByTestId($"comp-share-{site.Account1}")).ToHaveTextAsync("¥ 2.50");
        await Assertions.Expect(page.GetByTestId($"comp-share-{site.Account3}")).ToHaveTextAsync("¥ 7.50");
        Assert.Equal("40.00", await site.Site.BalanceAsync(site.Account1)); // a preview posts nothing
        await b.ShotAsync("compensation-preview");
        await page.GetByTestId("comp-post").ClickAsync();
        await Assertions.Expect(page.GetByTestId("comp-posted")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("comp-runs")).ToContainTextAsync("10.00");
        Assert.Equal("37.50", await site.Site.BalanceAsync(site.Account1));
        Assert.Equal("42.50", await site.Site.BalanceAsync(site.Account3));
        Assert.True((await site.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        await b.AssertCleanAsync();
    }
}
