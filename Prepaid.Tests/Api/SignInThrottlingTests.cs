using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Sign-in cannot be brute-forced: the rate limiter answers 429 per client address and per user name, and repeated
/// failures lock the user name for a while, whether or not such a user exists.
/// </summary>
public class SignInThrottlingTests
{
    static Task<HttpResponseMessage> TryAsync(HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("/api/auth/token", new { username, password });

    // The rate limiter's windows run on real time; these tests drive the lockout with the fake clock, so they lift the limiter.
    static WebApplicationFactory<Program> WithoutRateLimits(PrepaidApp app) => app.WithWebHostBuilder(b => b
        .UseSetting("Prepaid:SignIn:PerAddressPerMinute", "10000")
        .UseSetting("Prepaid:SignIn:PerUserPerMinute", "10000"));

    static async Task<HttpClient> AdminAsync(WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient();
        var token = (await (await TryAsync(client, "admin", PrepaidApp.AdminPassword)).ReadJsonAsync()).Str("token");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task SignIn_200WrongPasswords_MostAnswer429_AndOnlyAFewAreChecked()
    {
        using var app = new PrepaidApp();
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++) statuses.Add((await TryAsync(client, "admin", $"guess-{i}")).StatusCode);

        var tooMany = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var checkedAnswers = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.True(tooMany >= 190, $"{tooMany} of 200 answered 429, {checkedAnswers} answered 401");
        Assert.True(checkedAnswers <= 5, $"{checkedAnswers} wrong passwords were checked");
        Assert.Equal(200, tooMany + checkedAnswers);
    }

    [Fact]
    public async Task SignIn_RateLimited_Answers429ProblemWithRetryAfter()
    {
        using var app = new PrepaidApp();
        using var client = app.CreateClient();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 40; i++) last = await TryAsync(client, $"user-{i}", "nope");
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(last.Headers.RetryAfter);
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_LockTheUserName_UntilTheLockoutExpires()
    {
        using var app = new PrepaidApp();
        using var relaxed = WithoutRateLimits(app);
        using var client = relaxed.CreateClient();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(client, "admin", $"guess-{i}")).StatusCode);

        var locked = await TryAsync(client, "admin", PrepaidApp.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);

        app.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(client, "admin", PrepaidApp.AdminPassword)).StatusCode);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "admin", PrepaidApp.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task SignIn_ASuccess_ResetsTheFailures()
    {
        using var app = new PrepaidApp();
        using var relaxed = WithoutRateLimits(app);
        using var client = relaxed.CreateClient();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(client, "admin", "wrong")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "admin", PrepaidApp.AdminPassword)).StatusCode);
        }
    }

    [Fact]
    public async Task SignIn_UnknownUserName_IsLockedTheSameWay_SoLockoutRevealsNothing()
    {
        using var app = new PrepaidApp();
        using var relaxed = WithoutRateLimits(app);
        using var client = relaxed.CreateClient();
        async Task<(HttpStatusCode, string)> Sixth(string username)
        {
            for (var i = 0; i < 5; i++) await TryAsync(client, username, "wrong");
            var answer = await TryAsync(client, username, "wrong");
            return (answer.StatusCode, (await answer.ReadJsonAsync()).Str("title"));
        }
        var known = await Sixth("admin");
        var unknown = await Sixth("ghost");
        Assert.Equal(HttpStatusCode.TooManyRequests, known.Item1);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task SignIn_OneUserLockedOut_OthersStillSignIn()
    {
        using var app = new PrepaidApp();
        using var relaxed = WithoutRateLimits(app);
        using var client = relaxed.CreateClient();
        var admin = await AdminAsync(relaxed);
        await admin.PostOkAsync("/api/users", new { username = "audit", password = "audit-pass-1", role = "auditor" });
        for (var i = 0; i < 6; i++) await TryAsync(client, "admin", "wrong");
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "audit", "audit-pass-1")).StatusCode);
    }

    [Fact]
    public async Task PasswordReset_LiftsTheLockout()
    {
        using var app = new PrepaidApp();
        using var relaxed = WithoutRateLimits(app);
        using var client = relaxed.CreateClient();
        var admin = await AdminAsync(relaxed);
        var id = (await admin.PostOkAsync("/api/users", new { username = "audit", password = "audit-pass-1", role = "auditor" })).Id();
        for (var i = 0; i < 6; i++) await TryAsync(client, "audit", "wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TryAsync(client, "audit", "audit-pass-1")).StatusCode);
        var temporary = (await (await admin.PostAsync($"/api/users/{id}/password-reset", null)).ReadJsonAsync()).Str("temporaryPassword");
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(client, "audit", temporary)).StatusCode);
    }
}
