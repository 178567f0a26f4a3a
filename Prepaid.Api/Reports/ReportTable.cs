using Prepaid.Api.Common;

namespace Prepaid.Api.Reports;

public enum ColumnKind { Text, Amount, Quantity, Count }

/// <summary>Amounts are fen and quantities thousandths; each output form renders them its own way.</summary>
public sealed record ReportColumn(string Key, ColumnKind Kind = ColumnKind.Text);

/// <summary>A report's rows with typed columns, so JSON gets the API's strings ("95.00") and Excel gets numbers it can sum.</summary>
public sealed class ReportTable(params ReportColumn[] columns)
{
    public ReportColumn[] Columns { get; } = columns;
    public List<object?[]> Rows { get; } = new();
    /// <summary>Said to the reader when part of the data is not there yet (the device layer's tables).</summary>
    public string? Note { get; set; }

    public void Add(params object?[] values) => Rows.Add(values);

    public IEnumerable<Dictionary<string, object?>> AsJson() => Rows.Select(r =>
    {
        var shaped = Shape(r, json: true);
        foreach (var c in Columns) shaped[c.Key] = ReportWords.Text(c.Key, shaped[c.Key], System.Globalization.CultureInfo.CurrentUICulture);
        return shaped;
    });

    /// <summary>Rows for a spreadsheet a person reads: headers and names as words in <paramref name="culture"/>, numbers as numbers.</summary>
    public IEnumerable<Dictionary<string, object?>> AsExcel(System.Globalization.CultureInfo culture) => Rows.Select(r =>
    {
        var shaped = Shape(r, json: false);
        return Columns.ToDictionary(c => ReportWords.Header(c.Key, culture), c => ReportWords.Value(c.Key, shaped[c.Key], culture));
    });

    public IEnumerable<string> ExcelHeaders(System.Globalization.CultureInfo culture) => Columns.Select(c => ReportWords.Header(c.Key, culture));

    Dictionary<string, object?> Shape(object?[] row, bool json)
    {
        var d = new Dictionary<string, object?>(Columns.Length);
        for (var i = 0; i < Columns.Length; i++)
        {
            var v = row[i];
            d[Columns[i].Key] = (Columns[i].Kind, v) switch
            {
                (_, null) => null,
                (ColumnKind.Amount, long fen) => json ? ApiFormat.Amount(fen) : fen / 100m,
                (ColumnKind.Quantity, long milli) => json ? ApiFormat.Decimal(ApiFormat.FromMilli(milli)) : ApiFormat.FromMilli(milli),
                _ => v,
            };
        }
        return d;
    }
}
