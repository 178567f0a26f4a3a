using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Prepaid.Tests.Support;

/// <summary>
/// The text of a PDF as a reader would copy it: each page's content stream read with PDFsharp's parser, every shown
/// string mapped back to Unicode through its font's ToUnicode CMap (PDFsharp writes CJK text as glyph ids, Identity-H).
/// One entry per text-showing operator, in drawing order.
/// </summary>
public static partial class PdfText
{
    public static List<string> Read(byte[] pdf)
    {
        using var stream = new MemoryStream(pdf);
        var doc = PdfReader.Open(stream, PdfDocumentOpenMode.Import);
        var texts = new List<string>();
        foreach (var page in doc.Pages)
        {
            var fonts = page.Resources.Elements.GetDictionary("/Font");
            var maps = new Dictionary<string, Dictionary<int, string>>();
            if (fonts is not null)
                foreach (var name in fonts.Elements.Keys)
                    if (fonts.Elements.GetDictionary(name)?.Elements.GetDictionary("/ToUnicode") is { Stream: not null } cmap)
                        maps[name] = ParseCMap(Encoding.ASCII.GetString(cmap.Stream.UnfilteredValue));
            Dictionary<int, string>? current = null;
            Walk(ContentReader.ReadContent(page), maps, ref current, texts);
        }
        return texts;
    }

    static void Walk(CSequence sequence, Dictionary<string, Dictionary<int, string>> maps, ref Dictionary<int, string>? current, List<string> texts)
    {
        foreach (var item in sequence)
        {
            if (item is not COperator op) continue;
            switch (op.OpCode.Name)
            {
                case "Tf" when op.Operands.Count > 0 && op.Operands[0] is CName font:
                    current = maps.GetValueOrDefault(font.Name);
                    break;
                case "Tj" or "'" or "\"" when op.Operands.Count > 0 && op.Operands[^1] is CString s:
                    texts.Add(Decode(s.Value, current));
                    break;
                case "TJ" when op.Operands.Count > 0 && op.Operands[0] is CArray array:
                    var map = current;
                    texts.Add(string.Concat(array.OfType<CString>().Select(s => Decode(s.Value, map))));
                    break;
            }
        }
    }

    /// <summary>Two bytes per glyph id (Identity-H), each mapped by the CMap; a string without a map is taken as it is.</summary>
    static string Decode(string bytes, Dictionary<int, string>? map)
    {
        if (map is null) return bytes;
        var sb = new StringBuilder();
        for (var i = 0; i + 1 < bytes.Length; i += 2)
            sb.Append(map.GetValueOrDefault((bytes[i] << 8) | bytes[i + 1], "\uFFFD"));
        return sb.ToString();
    }

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>")]
    private static partial Regex Hex();

    static Dictionary<int, string> ParseCMap(string cmap)
    {
        var map = new Dictionary<int, string>();
        foreach (Match block in BfChar().Matches(cmap))
        {
            var hex = Hex().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
            for (var i = 0; i + 1 < hex.Count; i += 2) map[Code(hex[i])] = Utf16(hex[i + 1]);
        }
        foreach (Match block in BfRange().Matches(cmap))
        {
            var hex = Hex().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
            for (var i = 0; i + 2 < hex.Count; i += 3)
            {
                var (lo, hi, first) = (Code(hex[i]), Code(hex[i + 1]), Code(hex[i + 2]));
                for (var c = lo; c <= hi; c++) map[c] = char.ConvertFromUtf32(first + c - lo);
            }
        }
        return map;
    }

    static int Code(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    static string Utf16(string hex)
    {
        var chars = new char[hex.Length / 4];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)Code(hex.Substring(i * 4, 4));
        return new string(chars);
    }
}
