using System.Globalization;
using MiniExcelLibs;

namespace Prepaid.Api.Statements;

/// <summary>
/// R36 as a workbook (MiniExcel, as the reports): a summary sheet, the periods' subtotals when grouped, and the lines.
/// Amounts are numbers in yuan (exact: fen / 100 as decimal) so a spreadsheet can sum them; headers in the reader's language.
/// </summary>
public static class StatementXlsx
{
    public static async Task<byte[]> RenderAsync(Statement.Data d, StatementHeading heading, StatementLabels l, CancellationToken ct)
    {
        var zone = d.Zone;
        var summary = new List<Dictionary<string, object?>>
        {
            Pair(l.Site, heading.SiteName), Pair(l.Tenant, heading.TenantName), Pair(l.Account, heading.AccountId),
            Pair(l.Period, heading.Period), Pair(l.TimeZone, d.TimeZone),
            Pair(l.Opening, Yuan(d.OpeningFen)), Pair(l.Closing, Yuan(d.ClosingFen)),
        };
        var sheets = new Dictionary<string, object> { [l.Summary] = summary };
        if (d.Groups is { Count: > 0 } groups)
            sheets[l.Periods] = groups.Select(g => new Dictionary<string, object?>
            {
                [l.Period] = g.Period, [l.Opening] = Yuan(g.OpeningFen), [l.Amount] = Yuan(g.AmountFen), [l.Closing] = Yuan(g.ClosingFen),
            }).ToList();
        sheets[l.Lines] = d.Lines.Select(x => new Dictionary<string, object?>
        {
            [l.Period] = x.Period ?? "", [l.At] = Local(x.AtMs, zone), [l.Kind] = l.KindName(x.Kind), [l.Amount] = Yuan(x.AmountFen),
            [l.Count] = x.Count, [l.Explanation] = l.Say(x.Explanation),
        }).ToList();
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, excelType: ExcelType.XLSX, cancellationToken: ct);
        return stream.ToArray();
    }

    static Dictionary<string, object?> Pair(string name, object? value) => new() { ["item"] = name, ["value"] = value };

    static decimal Yuan(long fen) => fen / 100m;

    static string Local(long ms, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
