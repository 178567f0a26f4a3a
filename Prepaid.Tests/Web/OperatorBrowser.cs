using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Prepaid.Tests.Web;

/// <summary>
/// One operator's browser for the dashboard's job tests: a fresh context in one language (zh-CN or en), which records
/// every console error, uncaught exception and failed request (an answer of 400 or more, or a request that failed), so a
/// test ends by saying there was none — or only the ones it expected. Screenshots are named after the language.
/// </summary>
public sealed class OperatorBrowser : IAsyncDisposable
{
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string Lang { get; }
    readonly ConcurrentQueue<string> problems = new();
    readonly ConcurrentQueue<string> consoleErrors = new();
    readonly ConcurrentBag<int> expectedStatuses = new();
    readonly List<Func<IResponse, bool>> expected = new();
    readonly List<Func<string, bool>> expectedConsole = new();
    static readonly Regex LoadFailed = new(@"Failed to load resource: the server responded with a status of (\d+)");

    // A key path on screen means a label without a translation.
    static readonly Regex KeyOnScreen = new(
        @"\b(app|nav|role|common|channel|relay|command|commandState|commandSource|readingStatus|posting|alarmKind|orderState|refundState|channelTrade|grid|overview|meter|push|swap|account|edit|refund|moveOut|charges|deposits|tenancies|open|tariff|apportion|reconciliation|reports|alarms|users|password|forbidden|state|utility|batch|topup|signIn|notify|notifyKind|notifyState|notifyChannel|notifications)\.[a-zA-Z_]+\b");

    OperatorBrowser(IBrowserContext context, IPage page, string lang)
    {
        Context = context;
        Page = page;
        Lang = lang;
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Enqueue(m.Text); };
        page.PageError += (_, e) => problems.Enqueue($"uncaught: {e}");
        page.Response += (_, r) =>
        {
            if (r.Status < 400) return;
            if (expected.Any(e => e(r))) expectedStatuses.Add(r.Status);
            else problems.Enqueue($"{r.Request.Method} {r.Url} answered {r.Status}");
        };
        // A request the page itself abandoned (it navigated on) is not a failure of the platform.
        page.RequestFailed += (_, r) => { if (r.Failure != "net::ERR_ABORTED") problems.Enqueue($"{r.Method} {r.Url} failed: {r.Failure}"); };
    }

    public static async Task<OperatorBrowser> OpenAsync(Chromium chromium, LiveSite site, string lang)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            BaseURL = site.Url, ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true, Locale = lang,
        });
        context.SetDefaultTimeout(15_000);
        // The dashboard keeps the language per browser; this one starts in the test's language.
        await context.AddInitScriptAsync($"if (!localStorage.getItem('prepaid.locale')) localStorage.setItem('prepaid.locale', '{lang}')");
        return new OperatorBrowser(context, await context.NewPageAsync(), lang);
    }

    /// <summary>The text in this browser's language.</summary>
    public string L(string zh, string en) => Lang == "en" ? en : zh;

    /// <summary>
    /// Answers the test provokes on purpose (a refused form, a revoked session) are not problems, nor the line the browser
    /// logs for each of them ("Failed to load resource: … status of 400").
    /// </summary>
    public void Expect(Func<IResponse, bool> answer) => expected.Add(answer);

    /// <summary>Console errors the test provokes on purpose (the live connection of a revoked session failing).</summary>
    public void ExpectConsole(Func<string, bool> message) => expectedConsole.Add(message);

    public async Task SignInAsync(string username = "admin", string password = Support.PrepaidApp.AdminPassword)
    {
        await Page.GotoAsync("/signin");
        await Page.GetByTestId("username").FillAsync(username);
        await Page.GetByTestId("password").FillAsync(password);
        await Page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("nav-meters")).ToBeVisibleAsync();
    }

    /// <summary>Picks an option of an Element Plus select by its text.</summary>
    public async Task ChooseAsync(ILocator select, string option)
    {
        await select.ClickAsync();
        await Page.Locator(".el-select-dropdown__item:visible", new() { HasText = option }).First.ClickAsync();
    }

    /// <summary>Picks several options of a multiple Element Plus select, which stays open between them.</summary>
    public async Task ChooseManyAsync(ILocator select, params string[] options)
    {
        await select.ClickAsync();
        foreach (var option in options) await Page.Locator(".el-select-dropdown__item:visible", new() { HasText = option }).First.ClickAsync();
        await Page.Keyboard.PressAsync("Escape");
    }

    /// <summary>Types a date (yyyy-MM-dd) into the Element Plus date picker inside an element, or a range into a range picker.</summary>
    public async Task DatesAsync(ILocator picker, params string[] days)
    {
        var inputs = picker.Locator("input");
        for (var i = 0; i < days.Length; i++) await inputs.Nth(i).FillAsync(days[i]);
        await inputs.Nth(days.Length - 1).PressAsync("Enter");
        // Tab closes a picker still open and moves on; Escape would close the dialog around it when Enter already closed it.
        await inputs.Nth(days.Length - 1).PressAsync("Tab");
        for (var i = 0; i < days.Length; i++) await Assertions.Expect(inputs.Nth(i)).ToHaveValueAsync(days[i]);
    }

    public Task ShotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"{name}-{(Lang == "en" ? "en" : "zh")}"), FullPage = true });

    /// <summary>No console error, no uncaught exception, no failed request, and no label left untranslated on screen.</summary>
    public async Task AssertCleanAsync()
    {
        var text = await Page.Locator("body").InnerTextAsync();
        var untranslated = KeyOnScreen.Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(untranslated.Count == 0, "Labels without a translation: " + string.Join(", ", untranslated));
        var console = consoleErrors.Where(m => !expectedConsole.Any(e => e(m))
            && !(LoadFailed.Match(m) is { Success: true } f && expectedStatuses.Contains(int.Parse(f.Groups[1].Value))));
        var all = problems.Concat(console.Select(m => $"console: {m}")).ToList();
        Assert.True(all.Count == 0, "The page had problems:\n" + string.Join("\n", all));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
