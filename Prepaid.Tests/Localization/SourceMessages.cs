using System.Text;
using System.Text.RegularExpressions;

namespace Prepaid.Tests.Localization;

/// <summary>
/// The English sentences in the product's source: every string literal (interpolation holes as {}) that reads as a
/// sentence a person is given, outside logs, exceptions and documentation. Raw string literals (SQL, JSON) are skipped.
/// </summary>
public static partial class SourceMessages
{
    public sealed record Literal(string File, int Line, string Shape, string Code);

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Prepaid.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Prepaid.sln not found above the test binaries.");
    }

    /// <summary>Lines whose literals are for developers and logs, not for the person at the other end of the API.</summary>
    static readonly string[] NotServed =
    [
        "Log(", "LogWarning", "LogInformation", "LogDebug", "LogError", "LogTrace", "LogCritical", "///", "Description(", "WithSummary(",
        "WithDescription(", "Exception(", "Console.", "Debug.", "Trace.", "Assert", "GeneratedRegex", "[Obsolete",
    ];

    public static IEnumerable<Literal> Scan(params string[] projectFolders)
    {
        var root = RepositoryRoot();
        foreach (var folder in projectFolders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                         .Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                var lines = text.Split('\n');
                foreach (var (line, shape) in Literals(text))
                {
                    var code = lines[line - 1];
                    if (NotServed.Any(n => code.Contains(n, StringComparison.Ordinal))) continue;
                    if (!IsSentence(shape) || HasCjk(shape)) continue;
                    yield return new Literal(Path.GetRelativePath(root, file), line, shape, code.Trim());
                }
            }
    }

    static bool HasCjk(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>Two words or more, starting like a sentence, not code, SQL, a path or a format.</summary>
    public static bool IsSentence(string shape)
    {
        var words = Spaces().Replace(shape.Replace("{}", " "), " ");
        if (!Words().IsMatch(words)) return false;
        if (!(char.IsLetter(shape[0]) || shape.StartsWith("{}", StringComparison.Ordinal))) return false;
        // Column lists, content types, policies and paths are not sentences.
        if (SnakeCase().IsMatch(shape) || shape.Contains("'self'", StringComparison.Ordinal) || shape.Contains("charset=", StringComparison.Ordinal)) return false;
        if (Sql().IsMatch(shape)) return false;
        return true;
    }

    [GeneratedRegex(@"[A-Za-z]{2,}[,;:]? [a-z]{2,}")]
    private static partial Regex Words();

    [GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE|FROM|VALUES|PRAGMA)\b")]
    private static partial Regex Sql();

    [GeneratedRegex(@"[a-z0-9]_[a-z]")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Every regular, verbatim and interpolated string literal with its line; holes become {}.</summary>
    public static IEnumerable<(int Line, string Shape)> Literals(string s)
    {
        var found = new List<(int, string)>();
        var i = 0;
        var line = 1;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\n') { line++; i++; continue; }
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '/') { while (i < s.Length && s[i] != '\n') i++; continue; }
            if (c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                line += Count(s, i, end);
                i = end;
                continue;
            }
            if (c == '\'') { i = SkipChar(s, i); continue; }
            if (c is '"' or '$' or '@')
            {
                var start = i;
                var interpolated = false;
                var verbatim = false;
                var j = i;
                while (j < s.Length && (s[j] == '$' || s[j] == '@')) { if (s[j] == '$') interpolated = true; else verbatim = true; j++; }
                if (j >= s.Length || s[j] != '"') { i++; continue; }
                if (j + 2 < s.Length && s[j + 1] == '"' && s[j + 2] == '"')
                {
                    var end = SkipRaw(s, j);
                    line += Count(s, start, end);
                    i = end;
                    continue;
                }
                var (shape, after) = ReadString(s, j, interpolated, verbatim);
                found.Add((line, shape));
                line += Count(s, start, after);
                i = after;
                continue;
            }
            i++;
        }
        return found;
    }

    static int Count(string s, int from, int to)
    {
        var n = 0;
        for (var k = from; k < to && k < s.Length; k++) if (s[k] == '\n') n++;
        return n;
    }

    static int SkipChar(string s, int i)
    {
        var j = i + 1;
        while (j < s.Length && s[j] != '\'') j += s[j] == '\\' ? 2 : 1;
        return Math.Min(s.Length, j + 1);
    }

    static int SkipRaw(string s, int quoteAt)
    {
        var n = 0;
        while (quoteAt + n < s.Length && s[quoteAt + n] == '"') n++;
        var close = new string('"', n);
        var end = s.IndexOf(close, quoteAt + n, StringComparison.Ordinal);
        return end < 0 ? s.Length : end + n;
    }

    /// <summary>Reads the literal whose opening quote is at <paramref name="quoteAt"/>; returns its shape and the index after it.</summary>
    static (string Shape, int After) ReadString(string s, int quoteAt, bool interpolated, bool verbatim)
    {
        var text = new StringBuilder();
        var i = quoteAt + 1;
        while (i < s.Length)
        {
            var c = s[i];
            if (verbatim && c == '"' && i + 1 < s.Length && s[i + 1] == '"') { text.Append('"'); i += 2; continue; }
            if (c == '"') return (text.ToString(), i + 1);
            if (!verbatim && c == '\\' && i + 1 < s.Length)
            {
                text.Append(s[i + 1] switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', '\'' => '\'', '0' => '\0', var x => x });
                i += 2;
                continue;
            }
            if (interpolated && c == '{')
            {
                if (i + 1 < s.Length && s[i + 1] == '{') { text.Append('{'); i += 2; continue; }
                i = SkipHole(s, i + 1);
                text.Append("{}");
                continue;
            }
            if (interpolated && c == '}' && i + 1 < s.Length && s[i + 1] == '}') { text.Append('}'); i += 2; continue; }
            if (!verbatim && c == '\n') return (text.ToString(), i);
            text.Append(c);
            i++;
        }
        return (text.ToString(), i);
    }

    /// <summary>From just inside a hole's '{' to just after its '}', skipping nested strings, chars and braces.</summary>
    static int SkipHole(string s, int i)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\'') { i = SkipChar(s, i); continue; }
            if (c is '"' or '$' or '@')
            {
                var j = i;
                bool interpolated = false, verbatim = false;
                while (j < s.Length && (s[j] == '$' || s[j] == '@')) { if (s[j] == '$') interpolated = true; else verbatim = true; j++; }
                if (j < s.Length && s[j] == '"') { i = ReadString(s, j, interpolated, verbatim).After; continue; }
                i++;
                continue;
            }
            if (c is '{' or '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == '}')
            {
                if (depth == 0) return i + 1;
                depth--;
            }
            i++;
        }
        return i;
    }
}
