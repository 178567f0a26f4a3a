using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace Prepaid.Api.Statements;

/// <summary>
/// The one font a statement PDF is drawn with: it must hold Chinese (tenants' and sites' names), so it is a CJK font with
/// TrueType outlines found on the machine (Debian's fonts-droid-fallback or fonts-wqy-zenhei, which <c>.ci/run</c>
/// installs), or the file named by <c>Prepaid:Statements:FontFile</c>. PDFsharp reads single fonts, not collections, so a
/// .ttc's first face is cut out of it. Noto CJK ships CFF outlines only, which PDFsharp cannot embed.
/// </summary>
public sealed class StatementFonts : IFontResolver
{
    public const string Family = "PrepaidCjk";

    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ];

    static readonly Lock Gate = new();
    static StatementFonts? installed;

    readonly byte[] face;
    public string Path { get; }

    StatementFonts(string path, byte[] face)
    {
        Path = path;
        this.face = face;
    }

    /// <summary>The resolver PDFsharp uses (installed once per process), or why no font could be found.</summary>
    public static StatementFonts? Install(string? configured, out string? problem)
    {
        lock (Gate)
        {
            problem = null;
            if (installed is not null) return installed;
            var tried = configured is { Length: > 0 } ? [configured] : Candidates;
            foreach (var path in tried)
            {
                if (!File.Exists(path)) continue;
                var bytes = File.ReadAllBytes(path);
                installed = new StatementFonts(path, IsCollection(bytes) ? FirstFace(bytes) : bytes);
                GlobalFontSettings.FontResolver = installed;
                return installed;
            }
            problem = $"No CJK TrueType font to draw statements with: tried {string.Join(", ", tried)}. " +
                      "Install fonts-wqy-zenhei or fonts-droid-fallback, or set Prepaid:Statements:FontFile to a .ttf/.ttc with TrueType outlines.";
            return null;
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        // One face for every style: bold is simulated, so headings and body share the CJK glyphs.
        new(Family, bold, italic);

    public byte[] GetFont(string faceName) => face;

    static bool IsCollection(byte[] b) => b.Length > 12 && b[0] == 't' && b[1] == 't' && b[2] == 'c' && b[3] == 'f';

    /// <summary>
    /// The first font of a TrueType collection as a standalone font: its table directory with offsets rewritten to point
    /// into the new file, each table copied and padded to four bytes (the OpenType layout).
    /// </summary>
    static byte[] FirstFace(byte[] ttc)
    {
        var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(12));
        var numTables = BinaryPrimitives.ReadUInt16BigEndian(ttc.AsSpan(offset + 4));
        var headerLength = 12 + 16 * numTables;
        var tables = new (int Record, int Offset, int Length)[numTables];
        var total = headerLength;
        for (var i = 0; i < numTables; i++)
        {
            var record = offset + 12 + 16 * i;
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(record + 12));
            tables[i] = (record, (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(record + 8)), length);
            total += (length + 3) & ~3;
        }
        var font = new byte[total];
        ttc.AsSpan(offset, headerLength).CopyTo(font);
        var at = headerLength;
        for (var i = 0; i < numTables; i++)
        {
            var (_, tableOffset, length) = tables[i];
            ttc.AsSpan(tableOffset, length).CopyTo(font.AsSpan(at));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * i + 8), (uint)at);
            at += (length + 3) & ~3;
        }
        return font;
    }
}
