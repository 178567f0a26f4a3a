using Microsoft.Playwright;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// R34 by clicking, in Chinese and English: the building's Ur refused outside 0.50–0.90 beside its field, then saved; a run
/// over November with one flat without allocators and two with; the printable sheet with each flat's model, area, units,
/// quantity and amount; the wallets debited and the ledger holding (R22).
/// </summary>
[Collection("browser")]
public class HeatBrowserTests(Chromium chromium)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_SetsUr_RunsAnAllocation_AndPrintsTheSheet_R34(string lang)
    {
        await using var site = await LiveSite.StartAsync(now: DateTimeOffset.Parse("2026-12-02T09:00:00+08:00"));
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        b.Expect(r => r.Url.Contains("/heat-settings") && r.Status == 400);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-heat").ClickAsync();

        await page.GetByTestId("heat-settings-ur").FillAsync("0.95");
        await page.GetByTestId("heat-settings-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("heat-settings").Locator(".el-form-item__error")).ToContainTextAsync("0.50");
        await page.GetByTestId("heat-settings-ur").FillAsync("0.70");
        await page.GetByTestId("heat-settings-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("heat-settings-saved")).ToBeVisibleAsync();
        Assert.Equal("0.7", (await site.Admin.GetOkAsync($"/api/sites/{site.Site.SiteId}/heat-settings")).Str("ur"));

        // Q = 100 GJ, C = 300.00, k = 2: the flat without allocators (50 m²) bears 100 × 100 / 250 = 40 GJ; the others 60 GJ,
        // 42 by units 100 : 300 and 18 by area 50 : 100, so 16.5 and 43.5 GJ: 120.00, 49.50 and 130.50.
        await page.GetByTestId("heat-create").ClickAsync();
        await b.DatesAsync(page.GetByTestId("heat-period"), "2026-11-01", "2026-11-30");
        await page.GetByTestId("heat-quantity").FillAsync("100");
        await page.GetByTestId("heat-by-total").ClickAsync();
        await page.GetByTestId("heat-total-cost").FillAsync("300.00");
        await Assertions.Expect(page.GetByTestId("heat-ur")).ToHaveValueAsync("0.7");
        foreach (var (account, area, units) in new[] { (site.Account1, "50", (string?)null), (site.Account2, "50", "100"), (site.Account3, "100", "300") })
        {
            await page.GetByTestId($"heat-area-{account}").FillAsync(area);
            if (units is null) continue;
            await page.GetByTestId($"heat-has-{account}").ClickAsync();
            await page.GetByTestId($"heat-units-{account}").FillAsync(units);
        }
        await b.ShotAsync("heat-run");
        await page.GetByTestId("heat-run").ClickAsync();

        await Assertions.Expect(page.GetByTestId("heat-sheet-title")).ToContainTextAsync(b.L("热量分摊单", "Heat cost allocation sheet"));
        await Assertions.Expect(page.GetByTestId($"heat-model-{site.Account1}")).ToHaveTextAsync(b.L("2EG（无分配器，按面积）", "2EG (no allocators, by area)"));
        await Assertions.Expect(page.GetByTestId($"heat-model-{site.Account3}")).ToHaveTextAsync(b.L("3EG（有分配器，按读数和面积）", "3EG (allocators, by units and area)"));
        await Assertions.Expect(page.GetByTestId($"heat-row-{site.Account2}")).ToContainTextAsync("16.500");
        await Assertions.Expect(page.GetByTestId($"heat-amount-{site.Account1}")).ToHaveTextAsync("¥ 120.00");
        await Assertions.Expect(page.GetByTestId($"heat-amount-{site.Account2}")).ToHaveTextAsync("¥ 49.50");
        await Assertions.Expect(page.GetByTestId($"heat-amount-{site.Account3}")).ToHaveTextAsync("¥ 130.50");
        await Assertions.Expect(page.GetByTestId("heat-sheet-total")).ToHaveTextAsync("¥ 300.00");
        await b.ShotAsync("heat-sheet");

        await page.GetByTestId("heat-back").ClickAsync();
        await Assertions.Expect(page.GetByTestId("heat-runs")).ToContainTextAsync("300.00");
        var runs = (await site.Admin.GetOkAsync($"/api/heat-allocations?siteId={site.Site.SiteId}")).EnumerateArray().ToList();
        var run = await site.Admin.GetOkAsync($"/api/heat-allocations/{Assert.Single(runs).Id()}");
        Assert.Equal(["120.00", "49.50", "130.50"], run.GetProperty("flats").EnumerateArray().Select(f => f.Str("amount")));
        Assert.True((await site.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        await b.AssertCleanAsync();
    }
}
