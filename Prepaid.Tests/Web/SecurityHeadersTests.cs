using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>Every answer says nosniff, a content security policy that forbids framing, and no path as referrer to other sites; token answers are never cached.</summary>
public class SecurityHeadersTests
{
    static void AssertBrowserHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/m/")]
    [InlineData("/meters")]
    [InlineData("/favicon.svg")]
    [InlineData("/api-docs")]
    public async Task Page_CarriesTheBrowserHeaders(string path)
    {
        using var app = new PrepaidApp();
        var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertBrowserHeaders(response);
    }

    [Fact]
    public async Task ApiAnswer_AndProblem_CarryTheBrowserHeaders()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var ok = await admin.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        AssertBrowserHeaders(ok);
        var unauthorized = await app.CreateClient().GetAsync("/api/sites");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertBrowserHeaders(unauthorized);
    }

    [Fact]
    public async Task TokenAnswer_IsNeverCached()
    {
        using var app = new PrepaidApp();
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = PrepaidApp.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, response.Headers.CacheControl?.ToString());
        AssertBrowserHeaders(response);
        var refused = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "wrong" });
        Assert.True(refused.Headers.CacheControl?.NoStore, refused.Headers.CacheControl?.ToString());
    }
}
