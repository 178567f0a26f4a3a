using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;

namespace Prepaid.Tests.Web;

/// <summary>
/// In the browser: signing out ends the session at the server, so the HttpOnly cookie the page cannot clear stops
/// working; the pages run under the content security policy without a violation.
/// </summary>
[Collection("browser")]
public class SessionBrowserTests(Chromium chromium)
{
    static async Task<HttpStatusCode> MeWithCookieAsync(LiveSite site, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(site.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", $"prepaid_token={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }

    static async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Violations)> PageAsync(Chromium chromium, LiveSite site, bool phone = false)
    {
        // The cookie expires 12 h after the app's clock; a browser drops a cookie that expired by its own clock.
        if (site.App.Time.GetUtcNow() < DateTimeOffset.UtcNow) site.App.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var context = await chromium.Browser.NewContextAsync(phone
            ? new() { BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true }
            : new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy")) violations.Enqueue(m.Text); };
        return (context, page, violations);
    }

    [Fact]
    public async Task OperatorSignOut_RevokesTheCookie_AndThePagesRaiseNoPolicyViolation()
    {
        await using var site = await LiveSite.StartAsync();
        var (context, page, violations) = await PageAsync(chromium, site);
        await page.GotoAsync("/signin");
        await page.GetByTestId("username").FillAsync("admin");
        await page.GetByTestId("password").FillAsync(Support.PrepaidApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await page.GetByTestId("nav-meters").ClickAsync();
        await Assertions.Expect(page.Locator("body[data-live=on]")).ToHaveCountAsync(1);
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "prepaid_token").Value;
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(site, cookie));

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(site, cookie));
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "prepaid_token");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task TenantSignOut_RevokesTheCookie()
    {
        await using var site = await LiveSite.StartAsync();
        var (context, page, violations) = await PageAsync(chromium, site, phone: true);
        await page.GotoAsync("/m/");
        await page.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
        await page.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
        await page.GetByTestId("m-sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"m-account-{site.Account1}")).ToBeVisibleAsync();
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "prepaid_token").Value;

        await page.GetByTestId("m-sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("m-sign-in")).ToBeVisibleAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(site, cookie));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task ApiReference_RendersUnderItsContentSecurityPolicy()
    {
        await using var site = await LiveSite.StartAsync();
        var (_, page, violations) = await PageAsync(chromium, site);
        await page.GotoAsync("/api-docs/");
        // Scalar parses the whole document in the page before it draws an operation: slow on a loaded machine.
        await Assertions.Expect(page.GetByText("Who is signed in: role, tenant, sites").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Empty(violations);
    }
}
