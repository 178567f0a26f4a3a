using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Prepaid.Api.Localization;

/// <summary>
/// The API writes its messages in English; this catalog renders them in the caller's language. Each entry is an
/// English template with named placeholders ("Site {id} does not exist.") and its zh-CN template ("站点 {id} 不存在。").
/// On the English side <c>{name}</c> captures one token (no spaces) and <c>{name*}</c> any text, even none. On the zh-CN side
/// <c>{name}</c> inserts the captured text as sent and <c>{name:t}</c> renders it through the catalog too
/// ("{what*} was not found." with what = "Account 7"). Messages stay English in the code, so
/// a feature never needs the catalog to say something; a message with no entry reaches a Chinese caller in English,
/// which the coverage tests (source scan, zh-CN fuzz, browser crawl) catch. Entries live in the partial files
/// <c>Catalog.*.cs</c>, one static <c>ZhCn…</c> dictionary per feature; every such field is picked up.
/// </summary>
public static partial class Catalog
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    sealed record Template(string English, string Chinese, Regex Pattern, int LiteralLength);

    static readonly Lazy<(Dictionary<string, string> Exact, Template[] Patterns)> compiled = new(Compile);
    static readonly ConcurrentDictionary<string, string> cache = new(StringComparer.Ordinal);
    const int CacheLimit = 20_000;

    /// <summary>Every entry, English template → zh-CN template (for tests and tools).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Entries =>
        typeof(Catalog).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            .Where(f => f.FieldType == typeof(Dictionary<string, string>) && f.Name.StartsWith("ZhCn", StringComparison.Ordinal))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .SelectMany(f => (Dictionary<string, string>)f.GetValue(null)!);

    public static bool IsChinese(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>The message in the current UI culture (set per request by request localization).</summary>
    public static string Localize(string message) => Localize(message, CultureInfo.CurrentUICulture);

    public static string? LocalizeOrNull(string? message) => message is null ? null : Localize(message, CultureInfo.CurrentUICulture);

    public static string Localize(string message, CultureInfo culture)
    {
        if (!IsChinese(culture) || message.Length == 0 || HasChinese(message)) return message;
        if (cache.TryGetValue(message, out var done)) return done;
        var result = Translate(message, 0) ?? message;
        if (cache.Count > CacheLimit) cache.Clear();
        cache[message] = result;
        return result;
    }

    /// <summary>True if the text holds a CJK ideograph: a message a Chinese reader can read, at least in part.</summary>
    public static bool HasChinese(string text)
    {
        foreach (var c in text)
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf') return true;
        return false;
    }

    /// <summary>Whether the catalog has an entry for this English message (exact or by template).</summary>
    public static bool Knows(string message) => Translate(message, 0) is not null;

    static string? Translate(string message, int depth)
    {
        var (exact, patterns) = compiled.Value;
        if (exact.TryGetValue(message, out var zh)) return zh;
        if (depth > 3) return null;
        foreach (var t in patterns)
        {
            var m = t.Pattern.Match(message);
            if (!m.Success) continue;
            return Placeholder().Replace(t.Chinese, p =>
            {
                var value = m.Groups[p.Groups["name"].Value].Value;
                return p.Groups["t"].Success ? Translate(value, depth + 1) ?? value : value;
            });
        }
        return null;
    }

    /// <summary>"Site {id} does not exist." → the regex ^Site (?&lt;id&gt;.+?) does not exist\.$; checks the zh-CN side's placeholders.</summary>
    public static Regex PatternOf(string english, string chinese)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pattern = new StringBuilder("^");
        var at = 0;
        foreach (Match p in Placeholder().Matches(english))
        {
            if (p.Groups["t"].Success) throw new FormatException($"\"{english}\": the English side names placeholders without :t.");
            var any = p.Groups["star"].Success;
            var name = p.Groups["name"].Value;
            if (!names.Add(name)) throw new FormatException($"\"{english}\": placeholder {{{name}}} appears twice.");
            pattern.Append(Regex.Escape(english[at..p.Index])).Append("(?<").Append(name).Append(any ? ">.*?)" : @">\S+?)");
            at = p.Index + p.Length;
        }
        pattern.Append(Regex.Escape(english[at..])).Append('$');
        foreach (Match p in Placeholder().Matches(chinese))
            if (p.Groups["star"].Success || !names.Contains(p.Groups["name"].Value))
                throw new FormatException($"\"{chinese}\": placeholder {{{p.Groups["name"].Value}}} is not in \"{english}\".");
        if (!HasChinese(chinese)) throw new FormatException($"\"{chinese}\" (for \"{english}\") has no Chinese text.");
        return new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    /// <summary>A template's or a source literal's shape: placeholders (or interpolation holes) as {}.</summary>
    public static string ShapeOf(string template) => Placeholder().Replace(template, "{}");

    static (Dictionary<string, string>, Template[]) Compile()
    {
        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        var patterns = new List<Template>();
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (en, zh) in Entries)
        {
            var pattern = PatternOf(en, zh);
            if (!shapes.TryAdd(ShapeOf(en), en)) throw new FormatException($"\"{en}\" has the same shape as \"{shapes[ShapeOf(en)]}\".");
            if (!Placeholder().IsMatch(en)) exact[en] = zh;
            else patterns.Add(new Template(en, zh, pattern, Placeholder().Replace(en, "").Length));
        }
        // The most specific template first: "Account {id} is closed." before "{what} is closed.".
        return (exact, patterns.OrderByDescending(t => t.LiteralLength).ToArray());
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z][A-Za-z0-9]*)(?<star>\*)?(?<t>:t)?\}")]
    private static partial Regex Placeholder();
}
