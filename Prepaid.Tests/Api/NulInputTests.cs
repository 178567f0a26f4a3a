using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// A NUL character (U+0000) in any JSON string or query parameter is refused with 400 naming the field, in the
/// caller's language, and nothing is written: on PostgreSQL, which refuses NUL in text, it would otherwise be a 500.
/// </summary>
public class NulInputTests
{
    [Fact]
    public async Task Nul_InBodyOrQuery_Answers400NamingTheField_NothingWritten() => await NulRefusedAsync(new PrepaidApp());

    internal static async Task NulRefusedAsync(PrepaidApp app)
    {
        await using var _ = app;
        using var admin = await app.AdminAsync();

        await AssertRefusedAsync(await admin.PostAsJsonAsync("/api/tenants", new { name = "Noodles\0", phone = "13900009999", password = "tenant-pass" }), "name");
        await AssertRefusedAsync(await admin.PostAsJsonAsync("/api/sites", new { name = "\0", timeZone = "Asia/Shanghai" }), "name");
        await AssertRefusedAsync(await admin.PostAsJsonAsync("/api/readings", new[] { new { serial = "E-\u00001", at = "2026-11-02T12:00:00+08:00", registers = new { total = "1" } } }),
            "[0].serial");
        await AssertRefusedAsync(await admin.GetAsync("/api/outbox?kind=%00"), "kind");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tenants") { Content = JsonContent.Create(new { name = "\0", phone = "13900009998", password = "tenant-pass" }) };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var zh = await AssertRefusedAsync(await admin.SendAsync(request), "name");
        Assert.Contains("NUL", zh.GetProperty("errors").GetProperty("name")[0].GetString());
        Assert.Contains("字符", zh.GetProperty("errors").GetProperty("name")[0].GetString());

        // Nothing was written: the refused tenant's phone is still free.
        await admin.PostOkAsync("/api/tenants", new { name = "Noodles", phone = "13900009999", password = "tenant-pass" });
        Assert.True((await admin.GetOkAsync("/api/admin/ledger-check")).GetProperty("ok").GetBoolean());
    }

    static async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains(field, problem.ErrorFields());
        return problem;
    }
}

/// <summary>The same on PostgreSQL, where a NUL that got through would be a server error. Skipped without PREPAID_TEST_POSTGRES.</summary>
public class PostgresNulInputTests
{
    [Fact]
    public async Task Nul_InBodyOrQuery_Answers400NamingTheField_OnPostgres()
    {
        await using var database = await PostgresTestDatabase.CreateEmptyAsync();
        await NulInputTests.NulRefusedAsync(new PrepaidApp("postgres", database.ConnectionString));
    }
}
