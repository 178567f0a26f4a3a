using System.Text;

namespace Prepaid.Api.Readings;

/// <summary>
/// Comma-separated records as RFC 4180 writes them: fields may be quoted ("…"), a quote inside a quoted field is doubled,
/// a quoted field may hold commas and line breaks; records end at CRLF, LF or CR. What spreadsheet programs save as CSV.
/// </summary>
public static class CsvRecords
{
    /// <summary>The records of the text, each with the line it starts on. Throws FormatException on an unclosed quote.</summary>
    public static List<(int Line, string[] Fields)> Parse(string text)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, i) = (1, 1, 0);
        var quoted = false;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((start, fields.ToArray()));
                    fields.Clear();
                    start = ++line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (quoted) throw new FormatException($"A quoted field that starts on line {start} is never closed.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((start, fields.ToArray()));
        }
        return records;
    }

    /// <summary>A field as CSV writes it: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
