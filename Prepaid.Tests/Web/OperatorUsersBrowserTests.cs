using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Users by clicking, in Chinese and English: a user changes their password and their other session stops working; an
/// admin edits a user and disables them, and the disabled user's session ends.
/// </summary>
[Collection("browser")]
public class OperatorUsersBrowserTests(Chromium chromium)
{
    const string Old = "operator-old-pass", New = "operator-new-pass";

    static async Task<HttpStatusCode> SignInStatusAsync(LiveSite site, string username, string password)
    {
        using var client = new HttpClient { BaseAddress = new Uri(site.Url) };
        return (await client.PostAsJsonAsync("/api/auth/token", new { username, password })).StatusCode;
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task User_ChangesTheirPassword_AndTheirOtherSessionStopsWorking(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        await site.Admin.PostOkAsync("/api/users", new { username = "op-1", password = Old, role = "operator", siteIds = new[] { site.Site.SiteId } });
        await using var elsewhere = await OperatorBrowser.OpenAsync(chromium, site, lang);
        await elsewhere.SignInAsync("op-1", Old);
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync("op-1", Old);

        await page.GetByTestId("nav-password").ClickAsync();
        await page.GetByTestId("pw-current").FillAsync(Old);
        await page.GetByTestId("pw-new").FillAsync(New);
        await page.GetByTestId("pw-repeat").FillAsync(New);
        await b.ShotAsync("password");
        await page.GetByTestId("pw-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pw-done")).ToContainTextAsync(b.L("密码已修改", "Password changed"));

        // This session goes on; the other one is sent back to sign in at its next request.
        await page.GetByTestId("nav-meters").ClickAsync();
        await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("/ 4");
        elsewhere.Expect(r => r.Status == 401);
        // The 401 is logged with its problem title, in the page's language.
        elsewhere.ExpectConsole(m => m.Contains("401") || m.Contains("Unauthorized") || m.Contains(Prepaid.Api.Localization.Catalog.Localize("Unauthorized", Prepaid.Api.Localization.Catalog.Chinese)));
        await elsewhere.Page.GetByTestId("nav-meters").ClickAsync();
        await Assertions.Expect(elsewhere.Page.GetByTestId("sign-in")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(site, "op-1", Old));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(site, "op-1", New));
        await b.AssertCleanAsync();
        await elsewhere.AssertCleanAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Admin_EditsAUsersRole_ThenDisablesThem_AndTheirSessionEnds(string lang)
    {
        await using var site = await LiveSite.StartAsync();
        var user = (await site.Admin.PostOkAsync("/api/users", new { username = "op-2", password = Old, role = "operator", siteIds = new[] { site.Site.SiteId } })).Id();
        var session = await site.SignInAsync("op-2", Old);
        await using var b = await OperatorBrowser.OpenAsync(chromium, site, lang);
        var page = b.Page;
        await b.SignInAsync();
        await page.GetByTestId("nav-users").ClickAsync();
        await Assertions.Expect(page.GetByTestId("users")).ToContainTextAsync(b.L("操作员", "Operator"));

        await page.GetByTestId($"user-edit-{user}").ClickAsync();
        await b.ChooseAsync(page.GetByTestId("edit-user-role"), b.L("审计员", "Auditor"));
        await page.GetByTestId("edit-user-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-dialog")).ToBeHiddenAsync();
        Assert.Equal("auditor", (await site.Admin.GetOkAsync("/api/users")).EnumerateArray().Single(u => u.Id() == user).Str("role"));

        await page.GetByTestId($"user-edit-{user}").ClickAsync();
        await page.GetByTestId("edit-user-disabled").ClickAsync();
        await b.ShotAsync("users-edit");
        await page.GetByTestId("edit-user-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"user-status-{user}")).ToHaveTextAsync(b.L("停用", "Disabled"));
        await b.ShotAsync("users");
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/me")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, await SignInStatusAsync(site, "op-2", Old));
        await b.AssertCleanAsync();
    }
}
