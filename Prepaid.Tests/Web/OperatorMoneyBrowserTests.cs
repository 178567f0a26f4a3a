using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The money jobs by clicking, in Chinese and English: refund an online payment (R25), run and read a day's payment
/// reconciliation, run an apportionment and read its result (R18); the ledger holds (R22) after each.
/// </summary>
[Collection("browser")]
public class OperatorMoneyBrowserTests(Chromium chromium)
{
    static readonly Dictionary<string, string> Fakes = new() { [InProcessFakes.Switch] = "true", ["Prepaid:Payments:ScheduleJobs"] = "false" };

    /// <summary>An Alipay order for the account, paid at the fake gateway; its signed notification delivered or not.</summary>
    static async Task<string> PaidOrderAsync(LiveSite site, long account, string amount, bool notify = true)
    {
        var order = await site.Admin.PostOkAsync($"/api/accounts/{account}/payments", new { amount, channel = "alipay", method = "qr" });
        var no = order.Str("outTradeNo");
        var fields = site.App.Services.GetRequiredService<FakeAlipayGateway>().Pay(no);
        if (notify)
        {
            using var channel = new HttpClient { BaseAddress = new Uri(site.Url) };
            var answer = await channel.PostAsync("/api/payments/alipay/notify", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        return no;
    }

    static async Task AssertLedgerHoldsAsync(LiveSite site) =>
        Assert.True((await site.Admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());

    [Theory] // R25: the refund leaves the wallet at once and the channel confirms it
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_RefundsAnOnlinePayment_FromTheAccountPage_R25(string lang)
    {
        await using var site = await LiveSite.StartAsync(settings: Fakes);
        var no = await PaidOrderAsync(site, site.Account1, "20.00");
        Assert.Equal("70.00", await site.Site.BalanceAsync(site.Account1));
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GotoAsync($"/accounts/{site.Account1}");
        await Assertions.Expect(page.GetByTestId("account-orders")).ToContainTextAsync(b.L("已支付", "Paid"));
        await page.GetByTestId($"refund-{no}").ClickAsync();
        await page.GetByTestId("refund-amount").FillAsync("5.00");
        await b.ShotAsync("refund");
        await page.GetByTestId("refund-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("refund-result")).ToContainTextAsync(b.L("已退款", "Refunded"));
        await page.GetByTestId("refund-close").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-balance")).ToHaveTextAsync("¥ 65.00");
        await Assertions.Expect(page.GetByTestId("account-refunds")).ToContainTextAsync("5.00");
        var refunds = (await site.Admin.GetOkAsync($"/api/accounts/{site.Account1}/refunds")).EnumerateArray().ToList();
        Assert.Equal("succeeded", Assert.Single(refunds).Str("state"));
        await AssertLedgerHoldsAsync(site);
        await b.AssertCleanAsync();
    }

    [Theory] // A day's Alipay orders against the ledger: one paid at Alipay whose notification never came is the difference
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Admin_RunsAReconciliation_AndReadsItsDifferences(string lang)
    {
        await using var site = await LiveSite.StartAsync(settings: Fakes);
        await PaidOrderAsync(site, site.Account1, "20.00");
        var lost = await PaidOrderAsync(site, site.Account3, "30.00", notify: false);
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-reconciliation").ClickAsync();
        await b.DatesAsync(page.GetByTestId("rec-day"), "2026-11-02");
        await page.GetByTestId("rec-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rec-orders")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("rec-differences")).ToHaveTextAsync("1");
        var rows = page.GetByTestId("rec-rows");
        await Assertions.Expect(rows).ToContainTextAsync(lost);
        await Assertions.Expect(rows).ToContainTextAsync(b.L("已付款未入账", "Paid, not credited"));
        await Assertions.Expect(rows).ToContainTextAsync(b.L("支付成功", "Paid"));
        await b.ShotAsync("reconciliation");

        // Read again later, as an auditor would: the stored run.
        await page.GetByTestId("nav-overview").ClickAsync();
        await page.GetByTestId("nav-reconciliation").ClickAsync();
        await b.DatesAsync(page.GetByTestId("rec-day"), "2026-11-02");
        await page.GetByTestId("rec-show").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rec-differences")).ToHaveTextAsync("1");
        await b.AssertCleanAsync();
    }

    [Theory] // R18: the corridor meter's 100 kWh of November at 1.00, shared equally by two shops: 50.00 each, shown per shop
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Operator_RunsAnApportionment_AndReadsItsResult_R18(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync("/api/meters", new { siteId = site.Site.SiteId, serial = "CORRIDOR", utility = "electricity", ratedMaxPerHour = "1000" });
        await site.Site.ReadingsAsync(
            new { serial = "CORRIDOR", at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } },
            new { serial = "CORRIDOR", at = "2026-12-01T00:00:00+08:00", registers = new { total = "100" } });
        site.App.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-02T09:00:00+08:00"));
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-apportion").ClickAsync();
        await page.GetByTestId("apportion-create").ClickAsync();
        await b.ChooseAsync(page.GetByTestId("apportion-master"), "CORRIDOR");
        // The corridor meter has no tariff of its own: the rule names one.
        await b.ChooseAsync(page.GetByTestId("apportion-tariff"), "Flat 1.0000");
        await b.ChooseManyAsync(page.GetByTestId("apportion-shares"), $"#{site.Account1} ", $"#{site.Account3} ");
        await b.ShotAsync("apportionment-rule");
        await page.GetByTestId("apportion-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("apportion-dialog")).ToBeHiddenAsync();
        var rule = page.Locator("[data-testid^=rule-shares-]");
        await Assertions.Expect(rule).ToContainTextAsync("面馆 Noodle shop");
        await Assertions.Expect(rule).Not.ToContainTextAsync("undefined");

        await page.Locator("[data-testid^=rule-run-]").ClickAsync();
        await b.DatesAsync(page.GetByTestId("run-period"), "2026-11-01", "2026-11-30");
        await page.GetByTestId("run-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-total")).ToHaveTextAsync("¥ 100.00");
        await Assertions.Expect(page.GetByTestId($"run-amount-{site.Account1}")).ToHaveTextAsync("¥ 50.00");
        await Assertions.Expect(page.GetByTestId($"run-amount-{site.Account3}")).ToHaveTextAsync("¥ 50.00");
        await Assertions.Expect(page.GetByTestId("run-amounts")).ToContainTextAsync("Tea house 茶馆");
        await b.ShotAsync("apportionment-result");
        await page.GetByTestId("run-close").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid^=rule-runs-]")).ToContainTextAsync("¥50.00");
        var admin = await site.SignInAsync("admin", PrepaidApp.AdminPassword); // the morning's token has expired
        Assert.Equal("0.00", (await admin.GetOkAsync($"/api/accounts/{site.Account1}")).Str("balance"));
        Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
        await b.AssertCleanAsync();
    }

    [Theory] // The apportionment dialog shows a refusal beside its field, inside the dialog, not behind it
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task ApportionmentDialog_ShowsFieldErrorsInsideTheDialog(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync("/api/meters", new { siteId = site.Site.SiteId, serial = "CORRIDOR", utility = "electricity" });
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        b.Expect(r => r.Url.EndsWith("/api/apportionments") && r.Status == 400);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-apportion").ClickAsync();
        await page.GetByTestId("apportion-create").ClickAsync();
        await b.ChooseAsync(page.GetByTestId("apportion-master"), "CORRIDOR");
        await b.ChooseAsync(page.GetByTestId("apportion-method"), b.L("按权重", "By weights"));
        await b.ChooseManyAsync(page.GetByTestId("apportion-shares"), $"#{site.Account1} ");
        await page.GetByTestId("apportion-save").ClickAsync(); // no weight given
        var dialog = page.GetByTestId("apportion-dialog");
        await Assertions.Expect(dialog.Locator(".el-form-item__error")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator(".el-form-item__error").First).ToContainTextAsync(b.L("权重", "weight"));
        await b.ShotAsync("apportionment-error");
        await page.GetByTestId($"apportion-weight-{site.Account1}").FillAsync("2");
        await page.GetByTestId("apportion-save").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await b.AssertCleanAsync();
    }
}
