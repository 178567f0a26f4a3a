using System.Collections.Concurrent;
using Microsoft.Playwright;
using Prepaid.Tests.Api.Helpdesk;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// The helpdesk by clicking, in Chromium, in both languages: the tenant files a request with a photo from the phone page,
/// the operator sees it on the overview and in the requests page, assigns it, answers (once internally), closes it with a
/// note; the tenant sees the reply and the closed state, never the internal note. No console error, no failed request.
/// </summary>
[Collection("browser")]
public class HelpdeskBrowserTests(Chromium chromium)
{
    const string OperatorPassword = "operator-pass-1";

    async Task<(IPage Page, ConcurrentQueue<string> Problems)> PhoneAsync(LiveSite site, string lang)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = lang,
        });
        context.SetDefaultTimeout(15_000);
        await context.AddInitScriptAsync($"localStorage.setItem('prepaid.locale', '{lang}')");
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Enqueue($"console: {m.Text}"); };
        page.PageError += (_, e) => problems.Enqueue($"page error: {e}");
        page.RequestFailed += (_, r) => { if (r.Failure != "net::ERR_ABORTED") problems.Enqueue($"failed: {r.Method} {r.Url} {r.Failure}"); };
        page.Response += (_, r) => { if (r.Status >= 400) problems.Enqueue($"HTTP {r.Status}: {r.Request.Method} {r.Url}"); };
        return (page, problems);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task TenantFilesWithAPhoto_OperatorAssignsAnswersCloses_TenantSeesTheReplyAndClosed_ByClicking(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync("/api/users", new { username = "op-1", password = OperatorPassword, role = "operator", siteIds = new[] { site.Site.SiteId } });
        string L(string zh, string en) => lang == "en" ? en : zh;

        // The tenant, on the phone: a leak, about account 1, with a photo.
        var (phone, phoneProblems) = await PhoneAsync(site, lang);
        await phone.GotoAsync("/m/");
        await phone.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
        await phone.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
        await phone.GetByTestId("m-sign-in").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("m-requests")).ToContainTextAsync(L("报修与咨询", "Requests and questions"));
        await phone.GetByTestId("m-request-new").ClickAsync();
        await phone.GetByTestId("m-request-category-leak").ClickAsync();
        await phone.GetByTestId($"m-request-account-{site.Account1}").ClickAsync();
        await phone.GetByTestId("m-request-text").Locator("textarea").FillAsync("卫生间水管漏水 pipe leaking in the washroom");
        await phone.GetByTestId("m-request-photo").SetInputFilesAsync(new FilePayload
        {
            Name = "leak.png", MimeType = "image/png", Buffer = Convert.FromBase64String(HelpdeskWorld.Png),
        });
        await Assertions.Expect(phone.GetByTestId("m-request-preview")).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"helpdesk-phone-file-{lang}"), FullPage = true });
        await phone.GetByTestId("m-request-submit").ClickAsync();
        await Assertions.Expect(phone.Locator(".request-list li")).ToHaveCountAsync(1);
        var filed = (await site.Admin.GetOkAsync("/api/requests")).EnumerateArray().Single();
        var id = filed.Id();
        Assert.True(filed.GetProperty("hasPhoto").GetBoolean());
        Assert.Equal(site.Account1, filed.GetProperty("accountId").GetInt64());
        await Assertions.Expect(phone.GetByTestId($"m-request-state-{id}")).ToHaveTextAsync(L("待处理", "Open"));

        // The operator: the overview counts it, the requests page lists it, the detail shows the photo.
        await using var op = await OperatorBrowser.OpenAsync(chromium, site, lang);
        await op.SignInAsync("op-1", OperatorPassword);
        await Assertions.Expect(op.Page.GetByTestId("fig-requests-open")).ToHaveTextAsync("1");
        await op.Page.GetByTestId("fig-requests").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId($"request-state-{id}")).ToHaveTextAsync(L("待处理", "Open"));
        await Assertions.Expect(op.Page.GetByTestId("requests")).ToContainTextAsync(L("漏水", "Leak"));
        await op.Page.GetByTestId($"request-{id}").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId("request-text")).ToContainTextAsync("pipe leaking");
        await Assertions.Expect(op.Page.GetByTestId("request-photo")).ToBeVisibleAsync();
        Assert.True(await op.Page.GetByTestId("request-photo").EvaluateAsync<int>("img => img.naturalWidth") > 0, "the photo did not load");

        await op.ChooseAsync(op.Page.GetByTestId("request-assignee-select"), "op-1");
        await op.Page.GetByTestId("request-assign").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId("request-state")).ToHaveTextAsync(L("处理中", "In progress"));
        await Assertions.Expect(op.Page.GetByTestId("request-assignee")).ToHaveTextAsync("op-1");

        await op.Page.GetByTestId("request-comment").FillAsync("Internal: check the riser valve first");
        await op.Page.GetByTestId("request-internal").ClickAsync();
        await op.Page.GetByTestId("request-send").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId("request-comments")).ToContainTextAsync(L("内部", "Internal"));
        await op.Page.GetByTestId("request-comment").FillAsync("A plumber comes at 14:00.");
        await op.Page.GetByTestId("request-send").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId("request-comments").Locator("li")).ToHaveCountAsync(2);
        await op.Page.GetByTestId("request-close-note").FillAsync("Pipe replaced.");
        await op.Page.GetByTestId("request-close").ClickAsync();
        await Assertions.Expect(op.Page.GetByTestId("request-state")).ToHaveTextAsync(L("已关闭", "Closed"));
        await Assertions.Expect(op.Page.GetByTestId("request-events")).ToContainTextAsync(L("已指派", "Assigned"));
        await Assertions.Expect(op.Page.GetByTestId("request-reopen")).ToBeVisibleAsync();
        await op.ShotAsync("helpdesk-request");
        await op.AssertCleanAsync();

        // Back on the phone: the replies and the closed state, not the internal note.
        await phone.ReloadAsync();
        await Assertions.Expect(phone.GetByTestId($"m-request-state-{id}")).ToHaveTextAsync(L("已关闭", "Closed"));
        await phone.GetByTestId($"m-request-{id}").ClickAsync();
        var comments = phone.GetByTestId("m-request-comments");
        await Assertions.Expect(comments).ToContainTextAsync("A plumber comes at 14:00.");
        await Assertions.Expect(comments).ToContainTextAsync("Pipe replaced.");
        await Assertions.Expect(comments).ToContainTextAsync(L("物业", "Staff"));
        await Assertions.Expect(comments).Not.ToContainTextAsync("riser valve");
        await Assertions.Expect(phone.GetByTestId("m-request-view-state")).ToHaveTextAsync(L("已关闭", "Closed"));
        await Assertions.Expect(phone.GetByTestId("m-request-photo-view")).ToBeVisibleAsync();
        Assert.DoesNotContain("riser valve", await phone.Locator("body").InnerTextAsync());
        await phone.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"helpdesk-phone-reply-{lang}"), FullPage = true });
        await phone.Context.CloseAsync();
        Assert.True(phoneProblems.IsEmpty, "The phone page had problems:\n" + string.Join("\n", phoneProblems));
    }
}
