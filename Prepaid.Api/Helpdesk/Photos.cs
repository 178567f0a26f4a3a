namespace Prepaid.Api.Helpdesk;

/// <summary>
/// A request's photo: base64 (or a data: URL, as a phone's file reader gives it), at most 5 MB, and a JPEG, PNG or WebP by
/// its first bytes. The declared type is never believed: a script or an SVG named photo.jpg is refused, and what is
/// served back carries the type its bytes show.
/// </summary>
public static class Photos
{
    public const string TypeRule = "Must be a JPEG, PNG or WebP image.";

    public static (byte[]? Bytes, string? ContentType, string? Problem) Decode(string text)
    {
        var payload = text.AsSpan();
        if (payload.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = payload.IndexOf(',');
            if (comma < 0 || !payload[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                return (null, null, "Must be the image's bytes in base64, or a data: URL with ;base64.");
            payload = payload[(comma + 1)..];
        }
        if (payload.Length > HelpdeskRules.PhotoMaxChars) return (null, null, "At most 5 MB.");
        var buffer = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, buffer, out var length))
            return (null, null, "Must be the image's bytes in base64, or a data: URL with ;base64.");
        if (length == 0) return (null, null, "The photo is empty.");
        if (length > HelpdeskRules.PhotoMaxBytes) return (null, null, "At most 5 MB.");
        var bytes = buffer.AsSpan(0, length).ToArray();
        return ContentTypeOf(bytes) is { } type ? (bytes, type, null) : (null, null, TypeRule);
    }

    /// <summary>The image type the bytes show, or null for anything else (GIF, SVG, HTML, a renamed script).</summary>
    public static string? ContentTypeOf(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }

    public static string Extension(string contentType) => contentType switch
    {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    };
}
