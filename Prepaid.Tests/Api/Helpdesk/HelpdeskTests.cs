using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Helpdesk;

/// <summary>
/// The helpdesk: a tenant's request from filing to closing, who sees what (internal comments never reach the tenant;
/// another tenant's or another site's request answers 404), the states and their refusals, every change an event with who
/// and when, and the overview's counts.
/// </summary>
public class HelpdeskTests
{
    [Fact]
    public async Task Request_FiledWithAPhoto_AssignedCommentedClosed_TenantSeesRepliesButNoInternalNote_EveryChangeAnEvent()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        await FiledToClosedAsync(w);
    }

    /// <summary>The whole life of a request, also run on PostgreSQL (<see cref="PostgresHelpdeskTests"/>).</summary>
    internal static async Task FiledToClosedAsync(HelpdeskWorld w)
    {
        // The data URL says JPEG; the bytes are a PNG, and the PNG is what is kept and served.
        var filed = await w.Tenant1.PostOkAsync("/api/me/requests",
            new { category = "leak", text = "卫生间漏水 water under the sink", accountId = w.AccountA1, photo = "data:image/jpeg;base64," + HelpdeskWorld.Png });
        var id = filed.Id();
        Assert.Equal(("open", w.SiteA, true), (filed.Str("state"), filed.GetProperty("siteId").GetInt64(), filed.GetProperty("hasPhoto").GetBoolean()));
        Assert.Equal(PrepaidApp.Start, DateTimeOffset.Parse(filed.Str("createdAt")));
        Assert.EndsWith("+08:00", filed.Str("createdAt"));

        var open = (await w.OperatorA.GetOkAsync($"/api/requests?siteId={w.SiteA}&state=open")).EnumerateArray().Single();
        Assert.Equal((id, "Shop A1"), (open.Id(), open.GetProperty("tenant").Str("name")));
        w.App.Time.Advance(TimeSpan.FromMinutes(5));
        var assigned = await w.OperatorA.PostOkAsync($"/api/requests/{id}/assign", new { userId = w.OperatorAId }, HttpStatusCode.OK);
        Assert.Equal(("assigned", "op-a"), (assigned.GetProperty("request").Str("state"), assigned.GetProperty("request").GetProperty("assignee").Str("username")));
        await w.OperatorA.PostOkAsync($"/api/requests/{id}/comments", new { text = "INTERNAL: tenant owes a plumber visit", @internal = true });
        await w.CashierA.PostOkAsync($"/api/requests/{id}/comments", new { text = "A plumber comes at 14:00." });
        w.App.Time.Advance(TimeSpan.FromHours(6));
        var closed = await w.OperatorA.PostOkAsync($"/api/requests/{id}/close", new { note = "Pipe replaced." }, HttpStatusCode.OK);
        Assert.Equal("closed", closed.GetProperty("request").Str("state"));

        // The staff's view: every comment, the internal one marked, and the events with who and when (site time).
        var staff = await w.OperatorA.GetOkAsync($"/api/requests/{id}");
        Assert.Equal([true, false, false], staff.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("internal").GetBoolean()).ToArray());
        var events = staff.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["filed", "assigned", "closed"], events.Select(e => e.Str("kind")).ToArray());
        Assert.Equal(["13800000011", "op-a", "op-a"], events.Select(e => e.GetProperty("by").Str("username")).ToArray());
        Assert.Equal("op-a", events[1].GetProperty("assignee").Str("username"));
        Assert.Equal(PrepaidApp.Start.AddMinutes(5), DateTimeOffset.Parse(events[1].Str("at")));
        Assert.Equal(PrepaidApp.Start.AddMinutes(365), DateTimeOffset.Parse(events[2].Str("at")));
        Assert.EndsWith("+08:00", events[2].Str("at"));

        // The tenant's view: the two replies and the closed state; neither the internal note nor a staff member's name.
        var response = await w.Tenant1.GetAsync($"/api/me/requests/{id}");
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("INTERNAL", raw);
        Assert.DoesNotContain("op-a", raw);
        Assert.DoesNotContain("cash-a", raw);
        var mine = JsonDocument.Parse(raw).RootElement;
        Assert.Equal("closed", mine.GetProperty("request").Str("state"));
        Assert.Equal(["A plumber comes at 14:00.", "Pipe replaced."], mine.GetProperty("comments").EnumerateArray().Select(c => c.Str("text")).ToArray());
        Assert.All(mine.GetProperty("comments").EnumerateArray(), c => Assert.True(c.GetProperty("fromStaff").GetBoolean()));
        Assert.Equal(["filed", "assigned", "closed"], mine.GetProperty("events").EnumerateArray().Select(e => e.Str("kind")).ToArray());
        var list = (await w.Tenant1.GetOkAsync("/api/me/requests")).EnumerateArray().Single();
        Assert.Equal((id, 2L), (list.Id(), list.GetProperty("replies").GetInt64()));

        // Not solved after all: the tenant's comment reopens it to its assignee.
        var again = await w.Tenant1.PostOkAsync($"/api/me/requests/{id}/comments", new { text = "Still dripping." });
        Assert.Equal("assigned", again.GetProperty("request").Str("state"));
        Assert.Equal("reopened", again.GetProperty("events").EnumerateArray().Last().Str("kind"));
        var reopened = await w.OperatorA.GetOkAsync($"/api/requests/{id}");
        Assert.Equal(("13800000011", "Still dripping."), (reopened.GetProperty("events").EnumerateArray().Last().GetProperty("by").Str("username"),
            reopened.GetProperty("comments").EnumerateArray().Last().Str("text")));
        Assert.True(reopened.GetProperty("comments").EnumerateArray().Last().GetProperty("fromTenant").GetBoolean());
    }

    [Fact]
    public async Task Photo_ServedOnlyToItsTenantAndTheSitesStaff_WithTheTypeItsBytesShow_InlineAndNosniff()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        var id = await w.FileAsync(w.Tenant1, photo: HelpdeskWorld.Png);
        var png = Convert.FromBase64String(HelpdeskWorld.Png);
        foreach (var (client, url) in new[] { (w.Tenant1, $"/api/me/requests/{id}/photo"), (w.OperatorA, $"/api/requests/{id}/photo"), (w.Auditor, $"/api/requests/{id}/photo") })
        {
            using var answer = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("image/png", answer.Content.Headers.ContentType!.MediaType);
            Assert.Equal($"inline; filename=\"request-{id}.png\"", answer.Content.Headers.ContentDisposition!.ToString());
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(png, await answer.Content.ReadAsByteArrayAsync());
        }
        foreach (var (client, url) in new[] { (w.Tenant2, $"/api/me/requests/{id}/photo"), (w.OperatorB, $"/api/requests/{id}/photo") })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        var without = await w.FileAsync(w.Tenant1);
        Assert.Equal(HttpStatusCode.NotFound, (await w.OperatorA.GetAsync($"/api/requests/{without}/photo")).StatusCode);
    }

    public static TheoryData<string, string> NotPhotos => new()
    {
        { "a GIF declared as JPEG", "data:image/jpeg;base64," + Convert.ToBase64String("GIF89a\x01\x00\x01\x00\x00\x00\x00;"u8.ToArray()) },
        { "an SVG with a script", Convert.ToBase64String("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray()) },
        { "HTML declared as PNG", "data:image/png;base64," + Convert.ToBase64String("<html><script>alert(1)</script></html>"u8.ToArray()) },
        { "RIFF that is not WebP", Convert.ToBase64String("RIFF\x10\x00\x00\x00WAVEfmt "u8.ToArray()) },
        { "not base64", "data:image/png;base64,***" },
        { "a data URL without base64", "data:image/png," + HelpdeskWorld.Png },
        { "empty", "" },
        { "over 5 MB", Convert.ToBase64String([0xFF, 0xD8, 0xFF, .. new byte[5 * 1024 * 1024]]) },
    };

    [Theory]
    [MemberData(nameof(NotPhotos))]
    public async Task Photo_JudgedByItsBytes_AnythingButJpegPngWebpOrOver5MB_Answers400NamingPhoto_AndNothingIsWritten(string what, string photo)
    {
        await using var w = await HelpdeskWorld.StartAsync();
        var answer = await w.Tenant1.PostAsJsonAsync("/api/me/requests", new { category = "meterFault", text = "Display is blank", photo });
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)answer.StatusCode}");
        Assert.Equal(["photo"], (await answer.ReadJsonAsync()).ErrorFields());
        Assert.Empty((await w.Tenant1.GetOkAsync("/api/me/requests")).EnumerateArray());
        Assert.Empty((await w.Admin.GetOkAsync("/api/requests")).EnumerateArray());
    }

    [Fact]
    public async Task WebpAndJpeg_AreTakenByTheirBytes()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        byte[] webp = [.. "RIFF"u8, 0x1A, 0, 0, 0, .. "WEBPVP8L"u8, 0x0D, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, .. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];
        foreach (var (bytes, type) in new[] { (webp, "image/webp"), (jpeg, "image/jpeg") })
        {
            var id = await w.FileAsync(w.Tenant1, photo: "data:image/png;base64," + Convert.ToBase64String(bytes));
            using var answer = await w.OperatorA.GetAsync($"/api/requests/{id}/photo");
            Assert.Equal(type, answer.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task BadInput_Answers400NamingTheField_InTheCallersLanguage_NothingWritten()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        foreach (var (body, field) in new (object, string)[]
        {
            (new { category = "fire", text = "Smoke" }, "category"),
            (new { category = (string?)null, text = "Smoke" }, "category"),
            (new { category = "leak", text = "   " }, "text"),
            (new { category = "leak", text = new string('x', 2001) }, "text"),
            (new { category = "leak", text = "x", accountId = -1 }, "accountId"),
            (new { category = "leak", text = "x", accountId = w.AccountA1, siteId = w.SiteB }, "siteId"),
        })
        {
            var answer = await w.Tenant1.PostAsJsonAsync("/api/me/requests", body);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal([field], (await answer.ReadJsonAsync()).ErrorFields());
        }
        // Another tenant's account, or a site where the tenant has none: as if they did not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Tenant1.PostAsJsonAsync("/api/me/requests", new { category = "leak", text = "x", accountId = w.AccountA2 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Tenant1.PostAsJsonAsync("/api/me/requests", new { category = "leak", text = "x", siteId = w.SiteB })).StatusCode);
        Assert.Empty((await w.Admin.GetOkAsync("/api/requests")).EnumerateArray());

        using var zh = new HttpRequestMessage(HttpMethod.Post, "/api/me/requests") { Content = JsonContent.Create(new { category = "fire", text = "x" }) };
        zh.Headers.Add("Accept-Language", "zh-CN");
        var problem = await (await w.Tenant1.SendAsync(zh)).ReadJsonAsync();
        Assert.Contains("停电停水", problem.GetProperty("errors").GetProperty("category")[0].GetString());
        Assert.Equal("请求中有字段不正确。", problem.Str("title"));

        var id = await w.FileAsync(w.Tenant1);
        var wrong = await w.OperatorA.PostAsJsonAsync($"/api/requests/{id}/comments", new { text = "", @internal = true });
        Assert.Equal(["text"], (await wrong.ReadJsonAsync()).ErrorFields());
        var state = await w.OperatorA.GetAsync("/api/requests?state=done");
        Assert.Equal(["state"], (await state.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Tenant_WithAccountsAtSeveralSites_NamesTheSite_WithOneSiteItIsTaken()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        var b = new SiteBuilder(w.Admin) { SiteId = w.SiteB };
        var me = (await w.Tenant1.GetOkAsync("/api/me")).GetProperty("tenantId").GetInt64();
        var single = await w.Tenant1.PostOkAsync("/api/me/requests", new { category = "billingQuestion", text = "Why 30 yuan?" });
        Assert.Equal(w.SiteA, single.GetProperty("siteId").GetInt64());
        await b.AccountAsync(me, [(await b.MeterAsync("B-9"), await b.FlatTariffAsync(), "0")], "2026-11-02T08:00:00+08:00");
        var unnamed = await w.Tenant1.PostAsJsonAsync("/api/me/requests", new { category = "billingQuestion", text = "And here?" });
        Assert.Equal(["siteId"], (await unnamed.ReadJsonAsync()).ErrorFields());
        var named = await w.Tenant1.PostOkAsync("/api/me/requests", new { category = "billingQuestion", text = "And here?", siteId = w.SiteB });
        Assert.Equal(w.SiteB, named.GetProperty("siteId").GetInt64());
    }

    [Fact]
    public async Task Scope_OtherSitesAndOtherTenantsRequests_Answer404_RolesAsChosen()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        var a = await w.FileAsync(w.Tenant1);
        var b = await w.FileAsync(w.Tenant3, text: "B's own leak");

        Assert.Equal([a], (await w.OperatorA.GetOkAsync("/api/requests")).EnumerateArray().Select(r => r.Id()).ToArray());
        Assert.Equal([b, a], (await w.Auditor.GetOkAsync("/api/requests")).EnumerateArray().Select(r => r.Id()).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await w.OperatorA.GetAsync($"/api/requests?siteId={w.SiteB}")).StatusCode);
        foreach (var url in new[] { $"/api/requests/{b}", $"/api/requests/{b}/photo" })
            Assert.Equal(HttpStatusCode.NotFound, (await w.OperatorA.GetAsync(url)).StatusCode);
        foreach (var (url, body) in new (string, object)[]
        {
            ($"/api/requests/{b}/assign", new { userId = w.OperatorAId }), ($"/api/requests/{b}/comments", new { text = "x" }), ($"/api/requests/{b}/close", new { }),
        })
            Assert.Equal(HttpStatusCode.NotFound, (await w.OperatorA.PostAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.CashierA.PostAsJsonAsync($"/api/requests/{b}/comments", new { text = "x" })).StatusCode);

        // Another tenant of the same site: 404 on every path of theirs; the list holds only one's own.
        Assert.Equal(HttpStatusCode.NotFound, (await w.Tenant2.GetAsync($"/api/me/requests/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Tenant2.PostAsJsonAsync($"/api/me/requests/{a}/comments", new { text = "mine now" })).StatusCode);
        Assert.Empty((await w.Tenant2.GetOkAsync("/api/me/requests")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Tenant1.GetAsync("/api/requests")).StatusCode);

        // Auditors read only; cashiers read and comment but neither assign nor close.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Auditor.PostAsJsonAsync($"/api/requests/{a}/comments", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Auditor.PostAsJsonAsync($"/api/requests/{a}/close", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.CashierA.PostAsJsonAsync($"/api/requests/{a}/assign", new { userId = w.OperatorAId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.CashierA.PostAsJsonAsync($"/api/requests/{a}/close", new { })).StatusCode);
        await w.CashierA.PostOkAsync($"/api/requests/{a}/comments", new { text = "Tenant asked at the counter." });

        // The assignee is staff who can act on the site: not site B's operator, not a cashier, not a tenant.
        foreach (var user in new[] { w.OperatorBId, w.CashierAId, (await w.Tenant1.GetOkAsync("/api/me")).Id(), 9999 })
        {
            var refused = await w.OperatorA.PostAsJsonAsync($"/api/requests/{a}/assign", new { userId = user });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(["userId"], (await refused.ReadJsonAsync()).ErrorFields());
        }
        var assignees = (await w.OperatorA.GetOkAsync($"/api/requests/assignees?siteId={w.SiteA}")).EnumerateArray().Select(u => u.Str("username")).ToArray();
        Assert.Equal(["admin", "op-a"], assignees);
        Assert.Equal(HttpStatusCode.NotFound, (await w.OperatorA.GetAsync($"/api/requests/assignees?siteId={w.SiteB}")).StatusCode);
        await w.OperatorA.PostOkAsync($"/api/requests/{a}/assign", new { userId = 1 }, HttpStatusCode.OK); // the admin
    }

    [Fact]
    public async Task States_OpenAssignedClosed_RefusalsAre409_ReopenGoesBackToTheAssigneeOrToOpen()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        var unassigned = await w.FileAsync(w.Tenant1);
        await w.OperatorA.PostOkAsync($"/api/requests/{unassigned}/close", new { }, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, (await w.OperatorA.PostAsJsonAsync($"/api/requests/{unassigned}/close", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await w.OperatorA.PostAsJsonAsync($"/api/requests/{unassigned}/assign", new { userId = w.OperatorAId })).StatusCode);
        var reopened = await w.OperatorA.PostOkAsync($"/api/requests/{unassigned}/reopen", new { note = "Tenant called again." }, HttpStatusCode.OK);
        Assert.Equal("open", reopened.GetProperty("request").Str("state"));
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("request").GetProperty("closedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, (await w.OperatorA.PostAsJsonAsync($"/api/requests/{unassigned}/reopen", new { })).StatusCode);

        var assigned = await w.FileAsync(w.Tenant1);
        await w.OperatorA.PostOkAsync($"/api/requests/{assigned}/assign", new { userId = w.OperatorAId }, HttpStatusCode.OK);
        // The same assignee again changes nothing, not even the event list.
        await w.OperatorA.PostOkAsync($"/api/requests/{assigned}/assign", new { userId = w.OperatorAId }, HttpStatusCode.OK);
        await w.OperatorA.PostOkAsync($"/api/requests/{assigned}/assign", new { userId = 1 }, HttpStatusCode.OK);
        await w.OperatorA.PostOkAsync($"/api/requests/{assigned}/close", new { }, HttpStatusCode.OK);
        var back = await w.OperatorA.PostOkAsync($"/api/requests/{assigned}/reopen", new { }, HttpStatusCode.OK);
        Assert.Equal(("assigned", "admin"), (back.GetProperty("request").Str("state"), back.GetProperty("request").GetProperty("assignee").Str("username")));
        Assert.Equal(["filed", "assigned", "assigned", "closed", "reopened"], back.GetProperty("events").EnumerateArray().Select(e => e.Str("kind")).ToArray());
        Assert.Equal(["assigned"], (await w.OperatorA.GetOkAsync($"/api/requests?state=assigned&assignee=1")).EnumerateArray().Select(r => r.Str("state")).ToArray());
        Assert.Equal([unassigned], (await w.OperatorA.GetOkAsync($"/api/requests?state=open&category=leak")).EnumerateArray().Select(r => r.Id()).ToArray());
        Assert.Empty((await w.OperatorA.GetOkAsync($"/api/requests?category=billingQuestion")).EnumerateArray());
    }

    [Fact]
    public async Task Overview_CountsOpenAndAssignedRequestsPerSite_InTheCallersScope()
    {
        await using var w = await HelpdeskWorld.StartAsync();
        await CountsAsync(w);
    }

    internal static async Task CountsAsync(HelpdeskWorld w)
    {
        var a1 = await w.FileAsync(w.Tenant1);
        await w.FileAsync(w.Tenant2);
        var a3 = await w.FileAsync(w.Tenant1);
        var a4 = await w.FileAsync(w.Tenant2);
        await w.FileAsync(w.Tenant3);
        await w.OperatorA.PostOkAsync($"/api/requests/{a1}/assign", new { userId = w.OperatorAId }, HttpStatusCode.OK);
        await w.OperatorA.PostOkAsync($"/api/requests/{a3}/close", new { }, HttpStatusCode.OK);
        await w.OperatorA.PostOkAsync($"/api/requests/{a4}/assign", new { userId = w.OperatorAId }, HttpStatusCode.OK);

        var all = (await w.Admin.GetOkAsync("/api/dashboard/overview")).GetProperty("requests");
        Assert.Equal((2L, 2L), (all.GetProperty("open").GetInt64(), all.GetProperty("assigned").GetInt64()));
        var bySite = all.GetProperty("bySite").EnumerateArray().Select(s => (s.Str("site"), s.GetProperty("open").GetInt64(), s.GetProperty("assigned").GetInt64())).ToArray();
        Assert.Equal([("Mall A", 1L, 2L), ("Mall B", 1L, 0L)], bySite);
        var a = (await w.Admin.GetOkAsync($"/api/dashboard/overview?siteId={w.SiteA}")).GetProperty("requests");
        Assert.Equal((1L, 2L), (a.GetProperty("open").GetInt64(), a.GetProperty("assigned").GetInt64()));
        var scoped = (await w.OperatorA.GetOkAsync("/api/dashboard/overview")).GetProperty("requests");
        Assert.Equal([w.SiteA], scoped.GetProperty("bySite").EnumerateArray().Select(s => s.GetProperty("siteId").GetInt64()).ToArray());
        Assert.Equal((1L, 2L), (scoped.GetProperty("open").GetInt64(), scoped.GetProperty("assigned").GetInt64()));
    }

    [Fact]
    public async Task Filing_IsRateLimitedPerTenant_429WithRetryAfter_OtherTenantsFileOn()
    {
        await using var w = await HelpdeskWorld.StartAsync(new Dictionary<string, string> { ["Prepaid:Helpdesk:FilingsPerTenantPerHour"] = "2" });
        await w.FileAsync(w.Tenant1);
        await w.FileAsync(w.Tenant1);
        var third = await w.Tenant1.PostAsJsonAsync("/api/me/requests", new { category = "leak", text = "Third" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter is not null);
        await w.FileAsync(w.Tenant2);
        Assert.Equal(2, (await w.Tenant1.GetOkAsync("/api/me/requests")).GetArrayLength());
        // Comments are not filings.
        var first = (await w.Tenant1.GetOkAsync("/api/me/requests")).EnumerateArray().First().Id();
        await w.Tenant1.PostOkAsync($"/api/me/requests/{first}/comments", new { text = "Any news?" });
    }
}
