using Microsoft.AspNetCore.Http;

namespace Prepaid.Api.Common;

/// <summary>
/// A money request's idempotency key: the <c>Idempotency-Key</c> header, or the body's <c>idempotencyKey</c> when the
/// header is absent; both given must agree. The header obeys the body field's rule (printable ASCII without spaces, at
/// most <see cref="Limits.Key"/> characters), so a key of any length never reaches a transfer key or a column.
/// </summary>
public static class IdempotencyKey
{
    public const string Rule = "Must be printable ASCII without spaces, at most 100 characters.";

    /// <summary>The key, or the problem to answer; <paramref name="missing"/> says why the request needs one.</summary>
    public static (string Key, IResult? Problem) Read(HttpContext http, string? bodyKey, string missing)
    {
        var header = http.Request.Headers["Idempotency-Key"].ToString();
        if (header.Length > 0 && !Valid(header)) return ("", Problems.Field("Idempotency-Key", Rule));
        var key = header.Length > 0 ? header : bodyKey ?? "";
        if (key.Length == 0) return ("", Problems.Field("Idempotency-Key", missing));
        if (bodyKey is not null && bodyKey != key) return ("", Problems.Field("idempotencyKey", "Differs from the Idempotency-Key header."));
        return (key, null);
    }

    public static bool Valid(string key) => key.Length <= Limits.Key && key.All(c => c is >= '\x21' and <= '\x7E');
}
