using Microsoft.Playwright;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Device and tenancy jobs by clicking, in Chinese and English: batch-trip and batch-close simulated meters on a real
/// Modbus TCP gateway, push settings to a meter, close an account (R26) and replace a meter (R27).
/// </summary>
[Collection("browser")]
public class OperatorDevicesBrowserTests(Chromium chromium)
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_BatchTripsAndThenCloses_ThreeSimulatedMeters(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        var meters = Enumerable.Range(1, 3)
            .Select(i => new SimulatedElectricMeter((byte)i, $"0000000000{i:00}", site.App.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 })
            .ToList();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(meters)).Start();
        var busId = await DeviceApp.BusAsync(site.Admin, site.Site.SiteId, "modbusTcp", gateway.Port, timeoutMs: 2000);
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            ids.Add(await site.Site.MeterAsync($"B-{i:00}"));
            await DeviceApp.ConnectAsync(site.Admin, ids[^1], busId, $"{i}", "generic-modbus");
        }
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-meters").ClickAsync();
        await page.GetByTestId("grid-search").FillAsync("B-");
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("3 /");

        await page.GetByTestId("select-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("batch-action")).ToBeEnabledAsync();
        foreach (var (kind, open) in new[] { ("trip", true), ("close", false) })
        {
            await page.GetByTestId("batch-action").ClickAsync();
            await page.GetByTestId($"batch-{kind}").ClickAsync();
            await page.Locator(".el-message-box__btns .el-button--primary").ClickAsync();
            await using (new TickingClock(site.App.Time))
                await Assertions.Expect(page.GetByTestId("batch-done")).ToHaveTextAsync("3/3", new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("batch-count-confirmed")).ToContainTextAsync(b.L("已确认", "Confirmed"));
            await b.ShotAsync($"batch-{kind}");
            await page.GetByTestId("batch-dialog-close").ClickAsync();
            Assert.All(meters, m => Assert.Equal(open, m.RelayOpen));
            foreach (var id in ids)
                await Assertions.Expect(page.GetByTestId($"relay-{id}")).ToHaveTextAsync(open ? b.L("已拉闸", "Tripped") : b.L("已合闸", "Closed"));
        }
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_PushesSettings_ToAMeter_WithTheAccountsThresholds(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GotoAsync($"/meters/{site.E1}");
        await page.GetByTestId("meter-push-settings").ClickAsync();
        await Assertions.Expect(page.GetByTestId("push-alarm1")).ToHaveValueAsync("20.00");
        await page.GetByTestId("push-alarm2").FillAsync("8.00");
        await page.GetByTestId("push-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("meter-sent")).ToContainTextAsync(b.L("下发参数", "Push settings"));
        await Assertions.Expect(page.GetByTestId("meter-commands")).ToContainTextAsync(b.L("下发参数", "Push settings"));
        var command = (await site.Admin.GetOkAsync($"/api/meters/{site.E1}/commands")).EnumerateArray().First();
        Assert.Equal("pushSettings", command.Str("kind"));
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_ClosesAnAccount_AtTheMetersOwnReading_AndCashOut_R26(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.ReadingAsync(site.E3, "2026-11-02T09:00:00+08:00", "305"); // 80.00 − 5.00
        site.App.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var admin = await site.SignInAsync("admin", PrepaidApp.AdminPassword);
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GotoAsync($"/accounts/{site.Account3}");
        await page.GetByTestId("account-close").ClickAsync();
        // An empty final reading leaves it to the server: the dialog proposes the newest reading's instant, so it is the stored one.
        await page.GetByTestId($"moveout-reading-{site.E3}").FillAsync("");
        await page.GetByTestId("moveout-settle-cash").ClickAsync();
        await page.GetByTestId("moveout-preview").ClickAsync();
        await Assertions.Expect(page.GetByTestId("moveout-cash")).ToHaveTextAsync("75.00");
        await page.GetByTestId("moveout-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("moveout-settlement")).ToContainTextAsync("305");
        await b.ShotAsync("close-account");
        await page.GetByTestId("moveout-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-closed")).ToBeVisibleAsync();
        var account = await admin.GetOkAsync($"/api/accounts/{site.Account3}");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, account.GetProperty("closedAt").ValueKind);
        Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        await b.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_ReplacesAMeter_AndTheNewOneBillsOn_R27(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        site.App.Time.SetUtcNow(DateTimeOffset.UtcNow); // the dialog proposes the browser's now
        var admin = await site.SignInAsync("admin", PrepaidApp.AdminPassword);
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GotoAsync($"/meters/{site.E1}");
        await page.GetByTestId("meter-replace").ClickAsync();
        await page.GetByTestId("swap-final").FillAsync("102");
        await page.GetByTestId("swap-serial").FillAsync("E-1B");
        await page.GetByTestId("swap-initial").FillAsync("0");
        // The dialog proposed a minute before the browser's clock when it opened; a loaded machine may take longer than that
        // to get here, so the server's clock is brought up to the real now (a swap is never ahead of the server).
        site.App.Time.SetUtcNow(DateTimeOffset.UtcNow);
        await page.GetByTestId("swap-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("meter-serial")).ToContainTextAsync("E-1B");
        // The whole page moved to the new meter, not only its heading: its readings are its initial reading alone.
        await Assertions.Expect(page.GetByTestId("meter-readings").Locator("tr.el-table__row")).ToHaveCountAsync(1);
        await b.ShotAsync("replace-meter");
        // The old meter's 2 kWh are billed at its final reading.
        Assert.Equal("48.00", (await admin.GetOkAsync($"/api/accounts/{site.Account1}")).Str("balance"));
        await b.AssertCleanAsync();
    }
}
