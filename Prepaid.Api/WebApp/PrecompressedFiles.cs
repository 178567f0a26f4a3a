using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Prepaid.Api.WebApp;

/// <summary>
/// The web build's files as the Vite build compressed them (x.js.br, x.js.gz beside x.js): a browser that accepts Brotli
/// or gzip gets those bytes with Content-Encoding, the others the file itself. Compressed once at build time at the best
/// levels, rather than on every request; Vary: Accept-Encoding keeps caches from mixing them up.
/// </summary>
public static class PrecompressedFiles
{
    const string ChosenKey = "prepaid.precompressed";
    static readonly (string Token, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];
    static readonly FileExtensionContentTypeProvider Types = new();

    /// <summary>Rewrites a request for x.js to x.js.br (or .gz) when the client takes it and the build made it.</summary>
    public static IApplicationBuilder UsePrecompressedFiles(this IApplicationBuilder app, IFileProvider files) =>
        app.Use((http, next) =>
        {
            var path = http.Request.Path.Value;
            // The twins are how files travel, not files of their own: asked for by name they would lack their encoding.
            if (path is not null && Encodings.Any(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase)))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && path is not null
                && Types.TryGetContentType(path, out _) && files.GetFileInfo(path) is { Exists: true, IsDirectory: false }
                && Choose(http.Request, files, path) is { } chosen)
            {
                http.Items[ChosenKey] = chosen.Token;
                http.Request.Path = path + chosen.Extension;
            }
            return next(http);
        });

    /// <summary>The content type of the file itself for its compressed twin, so x.js.br is served as JavaScript.</summary>
    public static IContentTypeProvider ContentTypes { get; } = new TwinTypes();

    /// <summary>Static files' OnPrepareResponse part: the encoding of a rewritten request, and Vary on every compressible file.</summary>
    public static void PrepareResponse(HttpContext http)
    {
        if (http.Items.TryGetValue(ChosenKey, out var token) && token is string encoding)
            http.Response.Headers.ContentEncoding = encoding;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
    }

    /// <summary>A page (index.html) answered by an endpoint: its compressed twin when the client takes it.</summary>
    public static IResult Page(HttpContext http, string root, string relativePath)
    {
        var full = Path.Combine(root, relativePath);
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        foreach (var (token, extension) in Encodings)
            if (Accepts(http.Request, token) && File.Exists(full + extension))
            {
                http.Response.Headers.ContentEncoding = token;
                return Results.File(full + extension, "text/html; charset=utf-8");
            }
        return Results.File(full, "text/html; charset=utf-8");
    }

    static (string Token, string Extension)? Choose(HttpRequest request, IFileProvider files, string path)
    {
        foreach (var e in Encodings)
            if (Accepts(request, e.Token) && files.GetFileInfo(path + e.Extension).Exists) return e;
        return null;
    }

    /// <summary>Accept-Encoding names the coding (or *) with a quality above zero.</summary>
    static bool Accepts(HttpRequest request, string token)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        return accepted.Any(a => (a.Value.Equals(token, StringComparison.OrdinalIgnoreCase) || a.Value == "*") && (a.Quality ?? 1) > 0)
               && !accepted.Any(a => a.Value.Equals(token, StringComparison.OrdinalIgnoreCase) && a.Quality == 0);
    }

    sealed class TwinTypes : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType)
        {
            foreach (var (_, extension) in Encodings)
                if (subpath.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                    return Types.TryGetContentType(subpath[..^extension.Length], out contentType!);
            return Types.TryGetContentType(subpath, out contentType!);
        }
    }
}
