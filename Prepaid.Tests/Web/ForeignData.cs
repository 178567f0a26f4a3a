using System.Text.Json;
using MiniExcelLibs;

namespace Prepaid.Tests.Web;

/// <summary>
/// What identifies data a caller must not see: ids under the names the API uses for them (<c>siteId</c>, <c>meterId</c>,
/// …, at any depth of a JSON answer) and strings that occur only in that data (names, serials, phone numbers, out trade
/// numbers, which also show up in raw notification bodies). An xlsx answer is read as rows first.
/// </summary>
public sealed class ForeignData
{
    readonly Dictionary<string, HashSet<long>> ids = new(StringComparer.OrdinalIgnoreCase);
    readonly List<string> texts = [];

    public ForeignData Ids(string property, params long[] values)
    {
        if (!ids.TryGetValue(property, out var set)) ids[property] = set = [];
        set.UnionWith(values);
        return this;
    }

    public ForeignData Texts(params string[] values)
    {
        texts.AddRange(values.Where(v => v.Length > 0));
        return this;
    }

    public static ForeignData operator +(ForeignData a, ForeignData b)
    {
        var sum = new ForeignData();
        foreach (var (p, set) in a.ids.Concat(b.ids)) sum.Ids(p, set.ToArray());
        sum.texts.AddRange(a.texts.Concat(b.texts));
        return sum;
    }

    /// <summary>Each piece of this data found in the answer, described; empty when there is none.</summary>
    public List<string> FoundIn(string? mediaType, byte[] body)
    {
        // Scripts, styles and images are files of the build, the same for everyone.
        if (mediaType is "text/javascript" or "application/javascript" or "text/css" || mediaType?.StartsWith("image/", StringComparison.Ordinal) == true) return [];
        var text = mediaType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ? SheetAsJson(body) : System.Text.Encoding.UTF8.GetString(body);
        var found = texts.Where(t => text.Contains(t, StringComparison.Ordinal)).Select(t => $"text {t}").ToList();
        if (mediaType?.EndsWith("json", StringComparison.Ordinal) == true || mediaType?.EndsWith(".sheet", StringComparison.Ordinal) == true)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                Walk(doc.RootElement, found);
            }
            catch (JsonException)
            {
                found.Add("an answer that claims JSON but does not parse");
            }
        }
        return found;
    }

    void Walk(JsonElement e, List<string> found)
    {
        if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray()) Walk(item, found);
        if (e.ValueKind != JsonValueKind.Object) return;
        foreach (var p in e.EnumerateObject())
        {
            if (ids.TryGetValue(p.Name, out var set))
            {
                var values = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToList() : [p.Value];
                foreach (var v in values)
                    if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id) && set.Contains(id)) found.Add($"{p.Name} {id}");
            }
            Walk(p.Value, found);
        }
    }

    static string SheetAsJson(byte[] body)
    {
        using var stream = new MemoryStream(body);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(c => c.Key, c => c.Value is double d && d == Math.Floor(d) ? (object?)(long)d : c.Value)).ToList();
        return JsonSerializer.Serialize(rows);
    }
}
