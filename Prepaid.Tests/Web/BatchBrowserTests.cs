using Microsoft.Playwright;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The operator selects 20 meters in the grid and trips them as a batch: the dialog's progress reaches 20/20 and every
/// meter's own relay reads back open. Meters are simulated on a real Modbus TCP gateway on loopback; the platform's
/// poller and dispatcher run as in production.
/// </summary>
[Collection("browser")]
public class BatchBrowserTests(Chromium chromium)
{
    [Fact]
    public async Task BatchTrip_Of20SimulatedMeters_ShowsProgressTo20Of20Confirmed()
    {
        await using var site = await LiveSite.StartAsync();
        var meters = Enumerable.Range(1, 20)
            .Select(i => new SimulatedElectricMeter((byte)i, $"0000000000{i:00}", site.App.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 })
            .ToList();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(meters)).Start();
        var busId = await DeviceApp.BusAsync(site.Admin, site.Site.SiteId, "modbusTcp", gateway.Port, timeoutMs: 2000);
        for (var i = 1; i <= 20; i++)
        {
            var meterId = await site.Site.MeterAsync($"B-{i:00}");
            await DeviceApp.ConnectAsync(site.Admin, meterId, busId, $"{i}", "generic-modbus");
        }

        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByTestId("username").FillAsync("admin");
        await page.GetByTestId("password").FillAsync(PrepaidApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await page.GetByTestId("nav-meters").ClickAsync();

        await page.GetByTestId("grid-search").FillAsync("B-");
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("20 /");
        await page.GetByTestId("select-all").ClickAsync();
        await page.GetByTestId("batch-action").ClickAsync();
        await page.GetByTestId("batch-trip").ClickAsync();
        await page.Locator(".el-message-box__btns .el-button--primary").ClickAsync();

        // The site's clock is fake: on a loaded machine an attempt can time out, and its retry waits for the back-off on
        // that clock, so the clock moves on while we wait, as a real one would.
        using (var ticking = new CancellationTokenSource())
        {
            var clock = Task.Run(async () =>
            {
                while (!ticking.IsCancellationRequested)
                {
                    await Task.Delay(1000);
                    site.App.Time.Advance(TimeSpan.FromSeconds(5));
                }
            });
            await Assertions.Expect(page.GetByTestId("batch-done")).ToHaveTextAsync("20/20", new() { Timeout = 90_000 });
            ticking.Cancel();
            await clock;
        }
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("batch-trip"), FullPage = true });
        Assert.All(meters, m => Assert.True(m.RelayOpen, $"meter {m.UnitId} relay still closed"));
        var batches = await site.Admin.GetOkAsync("/api/reports/commands?from=2026-01-01&to=2027-01-01");
        Assert.Equal(20, batches.GetProperty("rows").EnumerateArray().Count(r => r.Str("status") == "confirmed"));
    }
}
