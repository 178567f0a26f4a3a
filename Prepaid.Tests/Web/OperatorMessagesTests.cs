using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Prepaid.Api.Auth;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Devices;
using Prepaid.Api.Reports;

namespace Prepaid.Tests.Web;

/// <summary>
/// The dashboard's labels (shared/i18n.js with operator/messages.js merged in, as the page does): both languages have the
/// same keys, every key the operator pages name exists, and every code the API sends that the pages show has words.
/// Node (which builds the web app) loads the real modules.
/// </summary>
public class OperatorMessagesTests
{
    static readonly string Web = Path.Combine(Root(), "Prepaid.Web");

    static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Prepaid.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    const string Script = """
        globalThis.localStorage = { getItem: () => null, setItem: () => {} }
        const web = process.argv[1]
        const { i18n } = await import(`${web}/src/shared/i18n.js`)
        const { operatorMessages } = await import(`${web}/src/operator/messages.js`)
        const { heatMessages } = await import(`${web}/src/operator/heatMessages.js`)
        for (const [l, m] of Object.entries(operatorMessages)) i18n.global.mergeLocaleMessage(l, m)
        for (const [l, m] of Object.entries(heatMessages)) i18n.global.mergeLocaleMessage(l, m)
        const flat = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]))
        console.log(JSON.stringify({ zh: flat(i18n.global.getLocaleMessage('zh-CN')), en: flat(i18n.global.getLocaleMessage('en')) }))
        """;

    static (HashSet<string> Zh, HashSet<string> En) Keys()
    {
        var start = new ProcessStartInfo("node", ["--input-type=module", "-e", Script, "--", Web.Replace('\\', '/')])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Web,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, error);
        var keys = JsonDocument.Parse(output).RootElement;
        return (keys.GetProperty("zh").EnumerateArray().Select(k => k.GetString()!).ToHashSet(),
            keys.GetProperty("en").EnumerateArray().Select(k => k.GetString()!).ToHashSet());
    }

    [Fact]
    public void BothLanguages_HaveTheSameKeys_AndEveryKeyThePagesNameExists()
    {
        var (zh, en) = Keys();
        Assert.Empty(zh.Except(en).Order());
        Assert.Empty(en.Except(zh).Order());

        var sources = Directory.EnumerateFiles(Path.Combine(Web, "src", "operator"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".vue") || f.EndsWith(".js"));
        var named = sources.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\bte?\('([a-zA-Z_]+\.[a-zA-Z_.]+)'").Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Empty(named.Except(zh).Order());
    }

    [Fact] // No code the API sends is shown as it comes: each has its words in both languages
    public void EveryCodeTheApiSends_HasItsWords()
    {
        var (zh, en) = Keys();
        var codes = CommandKinds.All.Select(k => $"command.{k}")
            .Concat(CommandKinds.States.Select(s => $"commandState.{s}"))
            .Concat(Roles.All.Select(r => $"role.{r}"))
            .Concat(DashboardStates.All.Select(s => $"state.{s}"))
            .Concat(ReportsApi.Names.Select(n => $"reports.{n}"))
            .Concat(new[] { "open", "closed", "unknown" }.Select(r => $"relay.{r}"))
            .Concat(new[] { "cash", "card", "bank", "alipay", "wechat" }.Select(c => $"channel.{c}"))
            .Concat(new[] { "electricity", "water", "heat" }.Select(u => $"utility.{u}"))
            .Concat(new[] { "area", "equal", "weights", "consumption" }.Select(m => $"apportion.method_{m}"))
            .Concat(new[] { "engine", "operator", "batch" }.Select(s => $"commandSource.{s}"))
            .Concat(new[] { "baseline", "billed", "late", "suspect", "queued", "rejected" }.Select(s => $"readingStatus.{s}"))
            .Concat(new[] { "pending", "paid", "closed", "expired" }.Select(s => $"orderState.{s}"))
            .Concat(new[] { "pending", "succeeded", "failed" }.Select(s => $"refundState.{s}"))
            .Concat(new[] { "offline", "relayFailure", SwitchReconciliation.TripFailed, SwitchReconciliation.CloseFailed }.Select(k => $"alarmKind.{k}"))
            .Concat(new[]
            {
                global::Prepaid.Api.Payments.Reconciliation.DailyReconciliation.PaidNotCredited, global::Prepaid.Api.Payments.Reconciliation.DailyReconciliation.CreditedNotPaid,
                global::Prepaid.Api.Payments.Reconciliation.DailyReconciliation.AmountMismatch, global::Prepaid.Api.Payments.Reconciliation.DailyReconciliation.QueryFailed,
                global::Prepaid.Api.Payments.Reconciliation.DailyReconciliation.RefundPending,
            }.Select(k => $"reconciliation.kind_{k}"))
            .Concat(new[] { "consumption", "topup", "fee", "apportionment", global::Prepaid.Api.Payments.Refunds.RefundPostings.HoldKind,
                global::Prepaid.Api.Payments.Refunds.RefundPostings.PaidKind, global::Prepaid.Api.Payments.Refunds.RefundPostings.ReturnedKind }.Select(k => $"posting.{k}"))
            .ToList();
        var missing = codes.Where(c => !zh.Contains(c) || !en.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "Codes without words: " + string.Join(", ", missing));
    }
}
