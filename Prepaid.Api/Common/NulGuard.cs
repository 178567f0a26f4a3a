namespace Prepaid.Api.Common;

/// <summary>
/// No field takes a NUL character (U+0000): no person types one, and PostgreSQL refuses it in text, which would turn a
/// bad request into a server error there. JSON strings are checked by <see cref="LenientStringConverter"/>; this
/// middleware checks the query string, answering 400 naming the parameter before any endpoint runs (Kestrel itself
/// refuses a NUL in the path).
/// </summary>
public static class NulGuard
{
    public const string Reason = "Holds a NUL character (U+0000), which no field takes.";

    public static IApplicationBuilder UseNulGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var bad = http.Request.Query.FirstOrDefault(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)).Key;
        if (bad is null)
        {
            await next(http);
            return;
        }
        await Problems.Field(bad.Replace("\0", "\\0"), Reason).ExecuteAsync(http);
    });
}
