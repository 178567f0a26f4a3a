using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Prepaid.Tests.Localization;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Visits every page of the operator app (the routes of src/operator/router.js) and the tenant's phone page in zh-CN,
/// opens their main dialogs, and fails on what a Chinese reader should never see: an i18n key shown raw, an API enum
/// value in the visible text, English sentences (a server message or an untranslated label), a console error (a
/// missing i18n key logs one), a failed request. Screenshots of every page in zh-CN and en go to TestResults/screenshots.
/// </summary>
[Collection("browser")]
public partial class LanguageCrawlTests(Chromium chromium)
{
    /// <summary>How to visit each route of router.js; a route without an entry fails the test, so a new page gets one.</summary>
    static readonly Dictionary<string, Func<LiveSite, IPage, string, Task>> Visits = new()
    {
        ["/signin"] = (_, _, _) => Task.CompletedTask, // visited signed out, below
        ["/"] = (_, _, _) => Task.CompletedTask,
        ["/meters"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("grid-count")).ToContainTextAsync("/"),
        ["/meters/:id"] = async (_, page, _) =>
        {
            await Assertions.Expect(page.GetByTestId("meter-serial")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("meter-commands")).ToBeVisibleAsync();
            // The manual reading, estimate, service journal and limits tabs: each opened once, so each renders its words.
            var tabs = page.GetByRole(AriaRole.Tab);
            for (var i = 0; i < await tabs.CountAsync(); i++)
            {
                await tabs.Nth(i).ClickAsync();
                await Assertions.Expect(tabs.Nth(i)).ToHaveAttributeAsync("aria-selected", "true");
            }
        },
        ["/readings/import"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("import-run")).ToBeVisibleAsync(),
        ["/accounts/:id"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("ledger")).ToBeVisibleAsync(),
        ["/topup"] = async (site, page, _) =>
        {
            // A top-up, to see the receipt.
            await page.GotoAsync($"/topup?account={site.Account1}");
            await page.GetByTestId("topup-amount").FillAsync("10.00");
            await page.GetByTestId("topup-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
        },
        ["/open"] = (_, _, _) => Task.CompletedTask,
        ["/tariffs"] = async (_, page, language) =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = language == "zh-CN" ? "新建" : "New", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        },
        ["/apportionments"] = async (_, page, language) =>
            await page.GetByRole(AriaRole.Button, new() { Name = language == "zh-CN" ? "新建" : "New", Exact = true }).ClickAsync(),
        ["/alarms"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("live-alarms")).ToBeVisibleAsync(),
        ["/notifications"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("notifications")).ToBeVisibleAsync(),
        ["/reports"] = async (_, page, _) =>
        {
            foreach (var report in new[] { "sales", "alarms", "commands" })
            {
                await page.GotoAsync($"/reports?name={report}&from=2026-11-01&to=2026-11-03");
                await page.GetByTestId("report-run").ClickAsync();
                await Assertions.Expect(page.GetByTestId("report-table")).ToBeVisibleAsync();
            }
        },
        ["/tenancies"] = (_, _, _) => Task.CompletedTask,
        ["/requests"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("requests")).ToBeVisibleAsync(),
        ["/requests/:id"] = async (_, page, _) =>
        {
            await Assertions.Expect(page.GetByTestId("request-comments")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("request-photo")).ToBeVisibleAsync();
        },
        ["/heat"] = (_, _, _) => Task.CompletedTask,
        ["/heat/:id"] = (_, _, _) => Task.CompletedTask,
        ["/circuits"] = (_, _, _) => Task.CompletedTask,
        ["/compensations"] = (_, _, _) => Task.CompletedTask,
        ["/reconciliation"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("rec-day")).ToBeVisibleAsync(),
        ["/users"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("users")).ToBeVisibleAsync(),
        ["/password"] = async (_, page, _) => await Assertions.Expect(page.GetByTestId("pw-current")).ToBeVisibleAsync(),
        ["/forbidden"] = (_, _, _) => Task.CompletedTask,
    };

    long heatAllocation, helpdeskRequest;

    /// <summary>The id a route's :id stands for: a meter for /meters/:id, the seeded run for /heat/:id, the seeded request for /requests/:id, an account otherwise.</summary>
    string PathOf(LiveSite site, string route) =>
        route.Replace("/meters/:id", $"/meters/{site.E1}").Replace("/heat/:id", $"/heat/{heatAllocation}").Replace("/requests/:id", $"/requests/{helpdeskRequest}").Replace(":id", site.Account1.ToString());

    /// <summary>The API's names for things: none may stand in the visible text of a page, in either language.</summary>
    static readonly HashSet<string> EnumValues =
    [
        "normal", "alarm1", "alarm2", "arrears", "keepOn", "notOpened", "offline", "closed", "open", "unknown",
        "requested", "sent", "confirmed", "failed", "expired", "cash", "card", "bank", "alipay", "wechat",
        "admin", "operator", "cashier", "auditor", "tenant", "electricity", "water", "heat", "trip", "close", "restorePrepaid",
        "pushTariff", "pushSettings", "valveOpen", "valveClose", "flat", "tou", "tiered", "sharp", "peak", "valley",
        "common", "loss", "area", "equal", "weights", "consumption", "topup", "fee", "apportionment", "refund", "adjustment",
        "billed", "duplicate", "late", "suspect", "rejected", "baseline", "pending", "paid", "relayFailure", "tripFailed", "closeFailed",
        "assigned", "supplyOutage", "meterFault", "billingQuestion", "leak", "filed", "reopened",
    ];

    sealed class Findings
    {
        public readonly List<string> Problems = [];
        public string Where = "";
        public readonly HashSet<string> ProvokedUrls = [];
        public void Add(string what) { lock (Problems) Problems.Add($"{Where}: {what}"); }
    }

    [Fact]
    public async Task EveryPage_InChinese_ShowsNoRawKeyEnumOrEnglishMessage_NoConsoleErrorOrFailedRequest()
    {
        var routes = RoutesOfTheOperatorApp();
        Assert.Contains("/meters", routes);
        var unvisited = routes.Where(r => !Visits.ContainsKey(r)).ToList();
        Assert.True(unvisited.Count == 0, $"router.js has routes this crawl does not visit; add them to Visits: {string.Join(", ", unvisited)}");

        await using var site = await LiveSite.StartAsync();
        await SeedAlarmsAndRunsAsync(site);
        // A heat allocation that moves no money, so its sheet has a run to show.
        heatAllocation = (await site.Admin.PostOkAsync("/api/heat-allocations", new
        {
            siteId = site.Site.SiteId, from = "2026-10-01T00:00:00+08:00", to = "2026-11-01T00:00:00+08:00", quantity = "10", totalCost = "0.00", ur = "0.7",
            flats = new[] { new { accountId = site.Account1, areaM2 = "20", allocatorUnits = "5" } },
        })).Id();
        helpdeskRequest = await SeedRequestAsync(site);
        foreach (var language in new[] { "zh-CN", "en" })
        {
            var findings = new Findings();
            var page = await PageAsync(site, language, findings, phone: false);

            // Signed out: the sign-in page, and a wrong password (the 401 is provoked; its message must be in the language).
            findings.Where = $"{language} /signin";
            await page.GotoAsync("/signin");
            await CheckAsync(page, language, findings, "signin");
            await page.GetByTestId("username").FillAsync("admin");
            await page.GetByTestId("password").FillAsync("not-the-password");
            findings.ProvokedUrls.Add("/api/auth/token");
            await page.GetByTestId("sign-in").ClickAsync();
            var alert = page.Locator(".el-alert");
            await Assertions.Expect(alert).ToBeVisibleAsync();
            if (language == "zh-CN") await Assertions.Expect(alert).ToContainTextAsync("用户名或密码错误");
            else await Assertions.Expect(alert).ToContainTextAsync("The username or password is wrong");
            await CheckAsync(page, language, findings, "signin-failed");
            findings.ProvokedUrls.Clear();

            await page.GetByTestId("password").FillAsync(PrepaidApp.AdminPassword);
            await page.GetByTestId("sign-in").ClickAsync();
            await Assertions.Expect(page.GetByTestId("nav-meters")).ToBeVisibleAsync();
            Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));

            foreach (var route in routes.Where(r => r != "/signin"))
            {
                findings.Where = $"{language} {route}";
                var path = PathOf(site, route);
                await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await Visits[route](site, page, language);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await CheckAsync(page, language, findings, ShotName(route));
            }

            // The language switch itself: the page follows at once, lang included.
            var other = language == "zh-CN" ? "en" : "zh-CN";
            findings.Where = $"{language} → {other} switch";
            await page.GotoAsync("/");
            await page.GetByTestId(other == "en" ? "lang-en" : "lang-zh").ClickAsync();
            await Assertions.Expect(page.GetByTestId("nav-meters")).ToHaveTextAsync(other == "en" ? "Meters" : "电表");
            Assert.Equal(other, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            await page.Context.CloseAsync();
            Assert.True(findings.Problems.Count == 0, string.Join("\n", findings.Problems.Distinct().Take(60)));
        }
    }

    [Fact]
    public async Task PhonePage_InChinese_ShowsNoRawKeyEnumOrEnglishMessage_NoConsoleErrorOrFailedRequest()
    {
        await using var site = await LiveSite.StartAsync();
        var request = await SeedRequestAsync(site);
        foreach (var language in new[] { "zh-CN", "en" })
        {
            var findings = new Findings { Where = $"{language} /m/" };
            var page = await PageAsync(site, language, findings, phone: true);
            await page.GotoAsync("/m/");
            await CheckAsync(page, language, findings, "m-signin");
            await page.GetByTestId("m-phone").Locator("input").FillAsync("13800000001");
            await page.GetByTestId("m-password").Locator("input").FillAsync(LiveSite.TenantPassword);
            await page.GetByTestId("m-sign-in").ClickAsync();
            await Assertions.Expect(page.GetByTestId($"m-account-{site.Account1}")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            await CheckAsync(page, language, findings, "m-accounts");
            foreach (var (tab, shot) in new[] { (language == "zh-CN" ? "账单" : "Statement", "m-statement"), (language == "zh-CN" ? "充值记录" : "Payments", "m-payments") })
            {
                findings.Where = $"{language} /m/ {shot}";
                await page.GetByRole(AriaRole.Tab, new() { Name = tab }).First.ClickAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await CheckAsync(page, language, findings, shot);
            }
            // The requests section: the form, and a request with the staff's reply.
            findings.Where = $"{language} /m/ request form";
            await page.GetByTestId("m-request-new").ClickAsync();
            await Assertions.Expect(page.GetByTestId("m-request-form")).ToBeVisibleAsync();
            await CheckAsync(page, language, findings, "m-request-form");
            await page.GetByTestId("m-request-form").Locator("button.cancel").ClickAsync();
            findings.Where = $"{language} /m/ request";
            await page.GetByTestId($"m-request-{request}").ClickAsync();
            await Assertions.Expect(page.GetByTestId("m-request-comments")).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await CheckAsync(page, language, findings, "m-request");
            await page.GetByTestId("m-request-back").ClickAsync();
            findings.Where = $"{language} /m/ pay sheet";
            await page.GetByTestId("m-topup").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("m-pay-sheet")).ToBeVisibleAsync();
            await CheckAsync(page, language, findings, "m-pay");
            await page.Context.CloseAsync();
            Assert.True(findings.Problems.Count == 0, string.Join("\n", findings.Problems.Distinct().Take(60)));
        }
    }

    /// <summary>A request of tenant 1 with a photo, assigned, with an internal note and a reply, so the helpdesk pages have all they show.</summary>
    static async Task<long> SeedRequestAsync(LiveSite site)
    {
        using var tenant = await site.SignInAsync("13800000001", LiveSite.TenantPassword);
        var id = (await tenant.PostOkAsync("/api/me/requests", new { category = "meterFault", text = "电表不亮 display blank", accountId = site.Account1, photo = Api.Helpdesk.HelpdeskWorld.Png })).Id();
        await site.Admin.PostOkAsync($"/api/requests/{id}/assign", new { userId = 1 }, System.Net.HttpStatusCode.OK);
        await site.Admin.PostOkAsync($"/api/requests/{id}/comments", new { text = "check the fuse", @internal = true });
        await site.Admin.PostOkAsync($"/api/requests/{id}/comments", new { text = "电工下午到 an electrician comes this afternoon" });
        return id;
    }

    /// <summary>Low balances (alarms in the outbox and on the hub), an apportionment run, and a command, so those pages have rows.</summary>
    static async Task SeedAlarmsAndRunsAsync(LiveSite site)
    {
        await site.ReadingAsync(site.E2, "2026-11-02T09:00:00+08:00", "210"); // account 2 from 15.00 to 5.00: alarm 2
        await site.ReadingAsync(site.E1, "2026-11-02T10:00:00+08:00", "104");
        await site.Admin.PostOkAsync($"/api/meters/{site.E4}/commands", new { kind = "trip" }, System.Net.HttpStatusCode.Created);
    }

    async Task<IPage> PageAsync(LiveSite site, string language, Findings findings, bool phone)
    {
        var context = await chromium.Browser.NewContextAsync(phone
            ? new() { BaseURL = site.Url, ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = language }
            : new() { BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 }, Locale = language });
        context.SetDefaultTimeout(15_000);
        // The language is the page's choice, kept per browser: set before any script runs.
        await context.AddInitScriptAsync($"localStorage.setItem('prepaid.locale', '{language}')");
        var page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            // The browser logs a provoked error answer (a wrong password's 401) itself; the Response handler judges those.
            if (m.Type != "error" || (findings.ProvokedUrls.Count > 0 && m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))) return;
            findings.Add($"console error: {m.Text}");
        };
        page.PageError += (_, e) => findings.Add($"page error: {e}");
        page.RequestFailed += (_, r) =>
        {
            // Navigating away aborts what the last page still had in flight (the hub's socket, a long poll): not a failure.
            if (r.Failure is "net::ERR_ABORTED") return;
            findings.Add($"request failed: {r.Method} {r.Url} {r.Failure}");
        };
        page.Response += (_, r) =>
        {
            if (r.Status < 400) return;
            var path = new Uri(r.Url).AbsolutePath;
            if (findings.ProvokedUrls.Contains(path)) return;
            findings.Add($"{r.Status} from {r.Request.Method} {path}");
        };
        return page;
    }

    async Task CheckAsync(IPage page, string language, Findings findings, string shot)
    {
        var texts = await page.EvaluateAsync<string[]>(VisibleTextsScript);
        var keys = Namespaces();
        foreach (var text in texts)
        {
            foreach (Match m in KeyLike().Matches(text))
                if (keys.Contains(m.Groups["ns"].Value)) findings.Add($"raw i18n key \"{m.Value}\" in \"{text}\"");
            // In the Chinese page any API name is raw; in English prose ("service fee") the words are words, so only a
            // text that is nothing but an API name ("closed" in a cell) is.
            if (language == "zh-CN")
            {
                foreach (var token in Tokens().Matches(text).Select(m => m.Value))
                    if (EnumValues.Contains(token)) findings.Add($"raw value \"{token}\" in \"{Short(text)}\"");
            }
            else if (EnumValues.Contains(text)) findings.Add($"raw value \"{text}\"");
            if (language == "zh-CN" && EnglishRun().Match(text) is { Success: true } run)
                findings.Add($"English in the Chinese page: \"{run.Value}\" in \"{Short(text)}\"");
        }
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"i18n-{language}-{shot}"), FullPage = true });
    }

    static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";

    static string ShotName(string route) => route == "/" ? "overview" : route.Trim('/').Replace("/:id", "-detail").Replace('/', '-');

    /// <summary>Every text node a person can see (and input placeholders), outside what people typed or keys (names, user names, idempotency keys).</summary>
    const string VisibleTextsScript = """
        () => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const n = walker.currentNode, el = n.parentElement;
            if (!el || el.closest('[data-user-text],.user-text,script,style,noscript,svg')) continue;
            const cs = getComputedStyle(el), r = el.getBoundingClientRect();
            if (cs.visibility === 'hidden' || cs.display === 'none' || (r.width === 0 && r.height === 0)) continue;
            const t = n.textContent.trim();
            if (t) out.push(t);
          }
          for (const i of document.querySelectorAll('input[placeholder],textarea[placeholder]')) if (i.offsetParent && i.placeholder) out.push(i.placeholder);
          return out;
        }
        """;

    /// <summary>The paths of src/operator/router.js, the catch-all left out.</summary>
    static List<string> RoutesOfTheOperatorApp()
    {
        var router = File.ReadAllText(Path.Combine(SourceMessages.RepositoryRoot(), "Prepaid.Web", "src", "operator", "router.js"));
        return RoutePath().Matches(router).Select(m => m.Groups["path"].Value).Where(p => !p.Contains('(')).Distinct().ToList();
    }

    /// <summary>The top-level message groups of src/shared/i18n.js ("nav", "state", …): "nav.meters" on a page is a raw key.</summary>
    static HashSet<string> Namespaces()
    {
        var i18n = File.ReadAllText(Path.Combine(SourceMessages.RepositoryRoot(), "Prepaid.Web", "src", "shared", "i18n.js"));
        return Namespace().Matches(i18n).Select(m => m.Groups["ns"].Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"path:\s*'(?<path>[^']+)'")]
    private static partial Regex RoutePath();

    [GeneratedRegex(@"^    (?<ns>[a-zA-Z]+): \{", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\b(?<ns>[a-z][a-zA-Z]*)\.[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)*\b")]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9_]*")]
    private static partial Regex Tokens();

    /// <summary>Three English words in a row: a sentence, not a name or a code.</summary>
    [GeneratedRegex(@"\b[A-Za-z]{2,}(?:[,;:']?\s+[A-Za-z]{2,}){2,}")]
    private static partial Regex EnglishRun();
}
