using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Prepaid.Api.Common;

namespace Prepaid.Api.Statements;

/// <summary>
/// R36 on paper: the statement drawn with PDFsharp on A4 pages (heading, opening and closing balance, the periods'
/// subtotals when grouped, every line with its explanation wrapped to the column, page numbers). Amounts are the JSON's
/// strings, so the paper and the API say the same figures.
/// </summary>
public static class StatementPdf
{
    const double Margin = 40, Width = 595, Height = 842, LineHeight = 12;
    const double AtWidth = 92, KindWidth = 72, AmountWidth = 70, Gap = 6;

    public static byte[] Render(Statement.Data d, StatementHeading heading, StatementLabels l)
    {
        var zone = d.Zone;
        var doc = new PdfDocument();
        doc.Info.Title = $"{l.Title} {heading.Period} #{heading.AccountId}";
        var title = new XFont(StatementFonts.Family, 16, XFontStyleEx.Bold);
        var bold = new XFont(StatementFonts.Family, 9, XFontStyleEx.Bold);
        var body = new XFont(StatementFonts.Family, 9);
        var page = new Page(doc);

        page.Text(l.Title, title, Margin, 22);
        page.Text($"{l.Site}: {heading.SiteName}    {l.Tenant}: {heading.TenantName}    {l.Account}: {heading.AccountId}", body, Margin, LineHeight);
        page.Text($"{l.Period}: {heading.Period} ({Local(d.FromMs, zone)} → {Local(d.ToMs, zone)})    {l.TimeZone}: {d.TimeZone}", body, Margin, LineHeight);
        page.Text($"{l.Opening}: {ApiFormat.Amount(d.OpeningFen)}    {l.Closing}: {ApiFormat.Amount(d.ClosingFen)}", bold, Margin, LineHeight * 2);

        if (d.Groups is { Count: > 0 } groups)
        {
            page.Text(l.Periods, bold, Margin, LineHeight * 1.5);
            page.Row(bold, [(l.Period, 110, false), (l.Opening, 100, true), (l.Amount, 100, true), (l.Closing, 100, true)]);
            foreach (var g in groups)
                page.Row(body, [(g.Period, 110, false), (ApiFormat.Amount(g.OpeningFen), 100, true), (ApiFormat.Amount(g.AmountFen), 100, true),
                    (ApiFormat.Amount(g.ClosingFen), 100, true)]);
            page.Advance(LineHeight);
        }

        page.Text(l.Lines, bold, Margin, LineHeight * 1.5);
        var explanationWidth = Width - 2 * Margin - AtWidth - KindWidth - AmountWidth - 3 * Gap;
        page.Row(bold, [(l.At, AtWidth, false), (l.Kind, KindWidth, false), (l.Amount, AmountWidth, true), (l.Explanation, explanationWidth, false)]);
        foreach (var line in d.Lines)
        {
            var at = line.Period ?? Local(line.AtMs, zone);
            var kind = l.KindName(line.Kind) + (d.GroupBy is null || line.Count == 1 ? "" : $" ×{line.Count}");
            page.Row(body, [(at, AtWidth, false), (kind, KindWidth, false), (ApiFormat.Amount(line.AmountFen), AmountWidth, true),
                (l.Say(line.Explanation), explanationWidth, false)]);
        }
        page.Advance(LineHeight);
        page.Text($"{l.Closing}: {ApiFormat.Amount(d.ClosingFen)}", bold, Margin, LineHeight);
        page.Close();

        var font = new XFont(StatementFonts.Family, 8);
        for (var i = 0; i < doc.PageCount; i++)
        {
            using var g = XGraphics.FromPdfPage(doc.Pages[i], XGraphicsPdfPageOptions.Append);
            g.DrawString($"{l.Page} {i + 1} / {doc.PageCount}", font, XBrushes.Gray, new XRect(Margin, Height - 28, Width - 2 * Margin, 10), XStringFormats.TopRight);
        }
        using var stream = new MemoryStream();
        doc.Save(stream, false);
        return stream.ToArray();
    }

    static string Local(long ms, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The page being drawn and the cursor on it; a row that does not fit starts the next page.</summary>
    sealed class Page(PdfDocument doc)
    {
        XGraphics? g;
        double y;

        XGraphics G
        {
            get
            {
                if (g is not null) return g;
                var p = doc.AddPage();
                p.Width = XUnit.FromPoint(Width);
                p.Height = XUnit.FromPoint(Height);
                g = XGraphics.FromPdfPage(p);
                y = Margin;
                return g;
            }
        }

        public void Advance(double dy) => y += dy;

        public void Text(string text, XFont font, double x, double height)
        {
            var gfx = G;
            if (y + height > Height - Margin) { NewPage(); gfx = G; }
            gfx.DrawString(text, font, XBrushes.Black, new XRect(x, y, Width - x - Margin, height), XStringFormats.TopLeft);
            y += height;
        }

        /// <summary>Cells side by side, each wrapped to its width; the row is as tall as its tallest cell.</summary>
        public void Row(XFont font, (string Text, double Width, bool Right)[] cells)
        {
            var wrapped = cells.Select(c => Wrap(G, c.Text, font, c.Width)).ToArray();
            var height = wrapped.Max(w => w.Count) * LineHeight + 2;
            if (y + height > Height - Margin) NewPage();
            var gfx = G;
            var x = Margin;
            for (var i = 0; i < cells.Length; i++)
            {
                for (var k = 0; k < wrapped[i].Count; k++)
                    gfx.DrawString(wrapped[i][k], font, XBrushes.Black, new XRect(x, y + k * LineHeight, cells[i].Width, LineHeight),
                        cells[i].Right ? XStringFormats.TopRight : XStringFormats.TopLeft);
                x += cells[i].Width + Gap;
            }
            y += height;
        }

        void NewPage()
        {
            g?.Dispose();
            g = null;
        }

        public void Close() => NewPage();

        /// <summary>Breaks at the last space that fits, or between any two characters (Chinese has no spaces).</summary>
        static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
        {
            var lines = new List<string>();
            var rest = text;
            while (rest.Length > 0)
            {
                if (gfx.MeasureString(rest, font).Width <= width) { lines.Add(rest); break; }
                int lo = 1, hi = rest.Length - 1;
                while (lo < hi)
                {
                    var mid = (lo + hi + 1) / 2;
                    if (gfx.MeasureString(rest[..mid], font).Width <= width) lo = mid;
                    else hi = mid - 1;
                }
                var fit = lo;
                var space = rest.LastIndexOf(' ', fit - 1, fit);
                var cut = space > 0 ? space : fit;
                lines.Add(rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart();
            }
            return lines.Count == 0 ? [""] : lines;
        }
    }
}
