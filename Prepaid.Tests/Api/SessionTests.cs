using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Sessions end: logout revokes the token and the cookie it is called with; a password change, a reset, disabling a
/// user, a role or a site change revokes the user's other tokens at once.
/// </summary>
public class SessionTests
{
    const string Password = "operator-pass-1";

    sealed record Session(string Token, string Cookie);

    static async Task<Session> SignInAsync(PrepaidApp app, string username, string password)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.ReadJsonAsync()).Str("token");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("prepaid_token="));
        return new Session(token, cookie.Split(';')[0]["prepaid_token=".Length..]);
    }

    static async Task<HttpStatusCode> MeWithTokenAsync(PrepaidApp app, string token)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/me")).StatusCode;
    }

    static async Task<HttpStatusCode> MeWithCookieAsync(PrepaidApp app, string cookie)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", $"prepaid_token={cookie}");
        return (await client.SendAsync(request)).StatusCode;
    }

    static async Task<(PrepaidApp App, HttpClient Admin, long SiteA, long SiteB, long OperatorId)> WorldAsync()
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var a = await new SiteBuilder(admin).SiteAsync();
        var b = await new SiteBuilder(admin).SiteAsync();
        var op = (await admin.PostOkAsync("/api/users", new { username = "op", password = Password, role = "operator", siteIds = new[] { a.SiteId } })).Id();
        return (app, admin, a.SiteId, b.SiteId, op);
    }

    [Fact]
    public async Task Logout_RevokesTheTokenAndTheCookieItIsCalledWith_NotOtherSessions()
    {
        var (app, admin, _, _, _) = await WorldAsync();
        using var _app = app;
        var first = await SignInAsync(app, "op", Password);
        var second = await SignInAsync(app, "op", Password);
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(app, first.Cookie));

        using var client = app.CreateClient();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Authorization = new AuthenticationHeaderValue("Bearer", first.Token);
        var answer = await client.SendAsync(logout);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Contains(answer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("prepaid_token=;") && c.Contains("expires=Thu, 01 Jan 1970"));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithTokenAsync(app, first.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, first.Cookie));
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(app, second.Token));
    }

    [Fact]
    public async Task Logout_WithTheCookieOnly_RevokesTheCookie()
    {
        using var app = new PrepaidApp();
        var session = await SignInAsync(app, "admin", PrepaidApp.AdminPassword);
        using var client = app.CreateClient();
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logout.Headers.Add("Cookie", $"prepaid_token={session.Cookie}");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, session.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithTokenAsync(app, session.Token));
    }

    [Fact]
    public async Task ChangeOwnPassword_RevokesTheOtherTokens_KeepsThisOne()
    {
        var (app, _, _, _, _) = await WorldAsync();
        using var _app = app;
        var here = await SignInAsync(app, "op", Password);
        var elsewhere = await SignInAsync(app, "op", Password);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", here.Token);

        var answer = await client.PutAsJsonAsync("/api/users/me/password", new { currentPassword = Password, newPassword = "a-new-password-2" });

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(app, here.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithTokenAsync(app, elsewhere.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, elsewhere.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "op", password = Password })).StatusCode);
        await SignInAsync(app, "op", "a-new-password-2");
    }

    [Theory]
    [InlineData("wrong-current-password", "a-new-password-2", "currentPassword")]
    [InlineData(Password, "short", "newPassword")]
    [InlineData(Password, null, "newPassword")]
    [InlineData(Password, Password, "newPassword")]
    public async Task ChangeOwnPassword_BadInput_Answers400NamingTheField_AndChangesNothing(string current, string? next, string field)
    {
        var (app, _, _, _, _) = await WorldAsync();
        using var _app = app;
        var other = await SignInAsync(app, "op", Password);
        var client = await app.SignInAsync("op", Password);
        var answer = await client.PutAsJsonAsync("/api/users/me/password", new { currentPassword = current, newPassword = next });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(field, (await answer.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(app, other.Token));
        await SignInAsync(app, "op", Password);
    }

    [Fact]
    public async Task ChangeOwnPassword_Over128Characters_Answers400()
    {
        var (app, _, _, _, _) = await WorldAsync();
        using var _app = app;
        var client = await app.SignInAsync("op", Password);
        var answer = await client.PutAsJsonAsync("/api/users/me/password", new { currentPassword = Password, newPassword = new string('x', 129) });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("newPassword", (await answer.ReadJsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("disable")]
    [InlineData("role")]
    [InlineData("sites")]
    [InlineData("sitesEndpoint")]
    public async Task AdminChange_RevokesTheUsersTokens(string change)
    {
        var (app, admin, siteA, siteB, op) = await WorldAsync();
        using var _app = app;
        var session = await SignInAsync(app, "op", Password);
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(app, session.Token));

        var answer = change switch
        {
            "reset" => await admin.PostAsync($"/api/users/{op}/password-reset", null),
            "disable" => await admin.PutAsJsonAsync($"/api/users/{op}", new { disabled = true }),
            "role" => await admin.PutAsJsonAsync($"/api/users/{op}", new { role = "auditor" }),
            "sites" => await admin.PutAsJsonAsync($"/api/users/{op}", new { siteIds = new[] { siteB } }),
            _ => await admin.PutAsJsonAsync($"/api/users/{op}/sites", new { siteIds = new[] { siteA, siteB } }),
        };
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{change}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithTokenAsync(app, session.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWithCookieAsync(app, session.Cookie));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AdminPasswordReset_GivesAOneTimeAnswerThatSignsIn_AndTheOldPasswordNoLonger()
    {
        var (app, admin, _, _, op) = await WorldAsync();
        using var _app = app;
        var answer = await admin.PostAsync($"/api/users/{op}/password-reset", null);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var temporary = (await answer.ReadJsonAsync()).Str("temporaryPassword");
        Assert.True(temporary.Length >= 12, temporary);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "op", password = Password })).StatusCode);
        await SignInAsync(app, "op", temporary);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndEnablingLetsThemBackIn()
    {
        var (app, admin, _, _, op) = await WorldAsync();
        using var _app = app;
        var disabled = await admin.PutAsJsonAsync($"/api/users/{op}", new { disabled = true });
        Assert.True((await disabled.ReadJsonAsync()).GetProperty("disabled").GetBoolean());
        var refused = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "op", password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("The username or password is wrong.", (await refused.ReadJsonAsync()).Str("title"));

        (await admin.PutAsJsonAsync($"/api/users/{op}", new { disabled = false })).EnsureSuccessStatusCode();
        await SignInAsync(app, "op", Password);
    }

    [Fact]
    public async Task AdminEdit_RoleChange_TakesEffectAndDropsSitesOfAnUnscopedRole()
    {
        var (app, admin, siteA, _, op) = await WorldAsync();
        using var _app = app;
        var user = await admin.PutAsJsonAsync($"/api/users/{op}", new { role = "auditor" });
        var body = await user.ReadJsonAsync();
        Assert.Equal("auditor", body.Str("role"));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("siteIds").ValueKind);
        var back = await (await admin.PutAsJsonAsync($"/api/users/{op}", new { role = "cashier", siteIds = new[] { siteA } })).ReadJsonAsync();
        Assert.Equal([siteA], back.GetProperty("siteIds").EnumerateArray().Select(s => s.GetInt64()).ToArray());
    }

    [Theory]
    [InlineData("""{"role":"tenant"}""", HttpStatusCode.BadRequest, "role")]
    [InlineData("""{"role":"root"}""", HttpStatusCode.BadRequest, "role")]
    [InlineData("""{}""", HttpStatusCode.BadRequest, "body")]
    [InlineData("""{"role":"auditor","siteIds":[1]}""", HttpStatusCode.Conflict, "siteIds")]
    [InlineData("""{"siteIds":[999]}""", HttpStatusCode.NotFound, "siteIds[0]")]
    public async Task AdminEdit_BadInput_AnswersNamingTheField_AndRevokesNothing(string json, HttpStatusCode status, string field)
    {
        var (app, admin, _, _, op) = await WorldAsync();
        using var _app = app;
        var session = await SignInAsync(app, "op", Password);
        var answer = await admin.PutAsync($"/api/users/{op}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(answer.StatusCode == status, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Contains(field, (await answer.ReadJsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.OK, await MeWithTokenAsync(app, session.Token));
    }

    [Fact]
    public async Task AdminEdit_TheLastAdmin_CannotBeDisabledOrDemoted()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var me = (await admin.GetOkAsync("/api/me")).Id();
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/users/{me}", new { disabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/users/{me}", new { role = "auditor" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/users/999", new { disabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task UserEndpoints_AreForAdminsOnly()
    {
        var (app, _, _, _, op) = await WorldAsync();
        using var _app = app;
        var client = await app.SignInAsync("op", Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/users/{op}", new { role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/users/{op}/password-reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PutAsJsonAsync("/api/users/me/password",
            new { currentPassword = Password, newPassword = "whatever-123" })).StatusCode);
    }
}
