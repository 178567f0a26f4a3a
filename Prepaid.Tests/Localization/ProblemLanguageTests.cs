using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Prepaid.Api.Localization;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Localization;

/// <summary>Problem answers follow Accept-Language: zh-CN (any zh-*) or en; English for a caller that says nothing.</summary>
public class ProblemLanguageTests
{
    static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, string? json, string? language, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", language);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);
        Assert.True((int)response.StatusCode >= 400, $"{url} answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    static IEnumerable<string> Texts(JsonElement problem)
    {
        yield return problem.GetProperty("title").GetString()!;
        if (problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) yield return d.GetString()!;
        if (problem.TryGetProperty("errors", out var errors))
            foreach (var field in errors.EnumerateObject())
                foreach (var m in field.Value.EnumerateArray()) yield return m.GetString()!;
    }

    static void AllChinese(JsonElement problem) =>
        Assert.All(Texts(problem), t => Assert.True(Catalog.HasChinese(t), $"not Chinese: \"{t}\" in {problem}"));

    static void NoChinese(JsonElement problem) =>
        Assert.All(Texts(problem), t => Assert.False(Catalog.HasChinese(t), $"Chinese for an English caller: \"{t}\""));

    [Fact]
    public async Task SignInFailure_InTheCallersLanguage_EnglishWithoutAcceptLanguage()
    {
        using var app = new PrepaidApp();
        var client = app.CreateClient();
        // A different unknown user each time, so no lockout answers instead (an unknown user gets the same title).
        var n = 0;
        string wrong() => $$"""{"username":"ghost{{++n}}","password":"wrong-password"}""";
        var zh = await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), "zh-CN");
        Assert.Equal("用户名或密码错误。", zh.GetProperty("title").GetString());
        Assert.Equal("用户名或密码错误。", (await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), "zh")).GetProperty("title").GetString());
        Assert.Equal("用户名或密码错误。",
            (await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), "en;q=0.4, zh-Hans-CN;q=0.9")).GetProperty("title").GetString());
        Assert.Equal("The username or password is wrong.", (await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), null)).GetProperty("title").GetString());
        Assert.Equal("The username or password is wrong.", (await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), "en-US")).GetProperty("title").GetString());
        Assert.Equal("The username or password is wrong.", (await SendAsync(client, HttpMethod.Post, "/api/auth/token", wrong(), "fr-FR")).GetProperty("title").GetString());
    }

    [Fact]
    public async Task ValidationErrors_OwnAndFluentValidationsBuiltIn_AreChinese()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        // name empty (FluentValidation's own message), timeZone unknown (ours).
        var zh = await SendAsync(admin, HttpMethod.Post, "/api/sites", """{"name":"","timeZone":"Mars/Olympus"}""", "zh-CN");
        AllChinese(zh);
        Assert.Equal(["name", "timeZone"], zh.ErrorFields().Order().ToArray());
        Assert.Contains("IANA", zh.GetProperty("errors").GetProperty("timeZone")[0].GetString());
        NoChinese(await SendAsync(admin, HttpMethod.Post, "/api/sites", """{"name":"","timeZone":"Mars/Olympus"}""", null));
        // A parameter's DataAnnotations, a 404 with a name in it, a JSON type error (its detail quotes the framework).
        AllChinese(await SendAsync(admin, HttpMethod.Get, "/api/accounts/1/ledger?limit=100000", null, "zh-CN"));
        var notFound = await SendAsync(admin, HttpMethod.Get, "/api/accounts/987654", null, "zh-CN");
        Assert.Equal("未找到账户 987654。", notFound.GetProperty("title").GetString());
        AllChinese(await SendAsync(admin, HttpMethod.Post, "/api/sites", """{"name":["x"],"timeZone":"Asia/Shanghai"}""", "zh-CN"));
        AllChinese(await SendAsync(admin, HttpMethod.Post, "/api/sites", "{not json", "zh-CN"));
    }

    [Fact]
    public async Task FrameworkAnswers_StatusCodePagesAndUnknownRoutes_AreChinese_WhateverTheAcceptHeader()
    {
        using var app = new PrepaidApp();
        var anonymous = app.CreateClient();
        AllChinese(await SendAsync(anonymous, HttpMethod.Get, "/api/sites", null, "zh-CN"));
        var admin = await app.AdminAsync();
        AllChinese(await SendAsync(admin, HttpMethod.Get, "/api/no-such-thing", null, "zh-CN"));
        AllChinese(await SendAsync(admin, HttpMethod.Get, "/api/accounts/987654", null, "zh-CN", accept: "text/html"));
        AllChinese(await SendAsync(admin, HttpMethod.Get, "/api/accounts/987654", null, "zh-CN", accept: "application/json"));
    }
}
