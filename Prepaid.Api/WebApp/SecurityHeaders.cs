namespace Prepaid.Api.WebApp;

/// <summary>
/// Headers on every answer that tell browsers what not to do: guess content types, let another site frame the pages
/// (clickjacking the cut-off and top-up buttons), load scripts from elsewhere, or send our paths (which carry order
/// numbers) to other sites as referrers. Set when the answer starts, so error pages carry them too.
/// </summary>
public static class SecurityHeaders
{
    // The built apps load scripts and styles from their own origin only; Vue and Element Plus set inline styles, charts
    // and QR codes draw into data: and blob: images; the hub and the API are same-origin. Vant's icon font is inline
    // woff2 with a woff fallback at at.alicdn.com for phone browsers without woff2.
    const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data: at.alicdn.com; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The API reference page starts itself with an inline module script.
    const string ApiDocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void UseSecurityHeaders(this WebApplication app, string apiDocsPath) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(apiDocsPath) ? ApiDocsPolicy : AppPolicy;
            // The origin only, never the path: WeChat Pay's H5 page checks that the tenant came from our domain.
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
