using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Prepaid.Api.Readings;

/// <summary>One data row of an import file as read, before it is checked: the spreadsheet row number (the header is row 1).</summary>
/// <param name="At">Text, or the DateTime of a date cell (a local time in the meter's site zone).</param>
/// <param name="Registers">total, sharp, peak, flat, valley as text (numbers in invariant form), null where blank.</param>
public sealed record ImportRow(int Row, string? Serial, object? At, string?[] Registers);

/// <summary>
/// Reads the rows of an .xlsx (first sheet, MiniExcel) or .csv (<see cref="CsvRecords"/>, UTF-8) import file: a header row
/// naming the columns serial, at, total and optionally sharp, peak, flat, valley (any order, any case), then one reading per
/// row; blank rows are skipped.
/// </summary>
public static class ImportFile
{
    public static readonly string[] Columns = ["serial", "at", "total", "sharp", "peak", "flat", "valley"];
    static readonly string[] Required = ["serial", "at", "total"];

    /// <summary>The rows, or why the file cannot be read as an import.</summary>
    public static (List<ImportRow>? Rows, string? Problem) Read(Stream stream, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".xlsx" => FromTable(ReadXlsx(stream)),
                ".csv" => FromTable(ReadCsv(stream)),
                _ => (null, "Must be an .xlsx or .csv file."),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or InvalidOperationException or ArgumentException
                                      or System.Xml.XmlException or NotSupportedException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return (null, $"The file cannot be read as {extension}: {e.Message}");
        }
    }

    /// <summary>The header and the data rows, each row's cells with its row number.</summary>
    sealed record Table(IReadOnlyList<string> Header, IEnumerable<(int Row, IReadOnlyList<object?> Cells)> Rows);

    static Table ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var records = CsvRecords.Parse(reader.ReadToEnd());
        if (records.Count == 0) return new Table([], []);
        return new Table(records[0].Fields, records.Skip(1).Select(r => (r.Line, (IReadOnlyList<object?>)r.Fields)));
    }

    static Table ReadXlsx(Stream stream)
    {
        // MiniExcel needs to seek; an upload stream may not.
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        var rows = MiniExcel.Query(buffer, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        if (rows.Count == 0) return new Table([], []);
        var keys = rows[0].Keys.ToList();
        return new Table(keys.Select(k => Text(rows[0][k]) ?? "").ToList(),
            rows.Skip(1).Select((r, i) => (i + 2, (IReadOnlyList<object?>)keys.Select(k => r.TryGetValue(k, out var v) ? v : null).ToList())));
    }

    static (List<ImportRow>?, string?) FromTable(Table table)
    {
        var index = Columns.ToDictionary(c => c, c => -1);
        for (var i = 0; i < table.Header.Count; i++)
        {
            var name = table.Header[i].Trim().ToLowerInvariant();
            if (index.TryGetValue(name, out var seen))
            {
                if (seen >= 0) return (null, $"The header names the column {name} twice.");
                index[name] = i;
            }
        }
        var missing = Required.Where(c => index[c] < 0).ToList();
        if (missing.Count > 0)
            return (null, $"The first row must name the columns serial, at and total (sharp, peak, flat, valley optional); missing: {string.Join(", ", missing)}.");
        var rows = new List<ImportRow>();
        foreach (var (row, cells) in table.Rows)
        {
            object? Cell(string column) => index[column] is var i and >= 0 && i < cells.Count ? cells[i] : null;
            if (cells.All(c => string.IsNullOrWhiteSpace(Text(c)))) continue;
            if (rows.Count == Common.Limits.ImportRows)
                return (null, $"At most {Common.Limits.ImportRows} readings per import; the file has more.");
            // A date cell may come as a DateTime or as Excel's serial day number.
            var at = Cell("at") switch
            {
                DateTime dt => (object)dt,
                double serial when serial is > 36526 and < 73051 => DateTime.FromOADate(serial), // 2000-01-01 … 2099-12-31
                var other => Text(other),
            };
            rows.Add(new ImportRow(row, Text(Cell("serial")), at, Columns[2..].Select(c => Text(Cell(c))).ToArray()));
        }
        return (rows, null);
    }

    /// <summary>A cell as text: numbers in invariant form (a spreadsheet's double kept to its 15 significant digits), blanks as null.</summary>
    static string? Text(object? cell)
    {
        var text = cell switch
        {
            null => null,
            string s => s,
            double d => ((decimal)d).ToString(CultureInfo.InvariantCulture),
            float f => ((decimal)f).ToString(CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            int or long or short => Convert.ToString(cell, CultureInfo.InvariantCulture),
            DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            _ => Convert.ToString(cell, CultureInfo.InvariantCulture),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
