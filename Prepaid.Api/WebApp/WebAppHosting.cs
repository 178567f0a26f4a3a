using Microsoft.Extensions.FileProviders;

namespace Prepaid.Api.WebApp;

/// <summary>
/// Serves the built browser apps (Prepaid.Web's Vite output): the operator dashboard at / and the tenant's phone page
/// at /m/, each with a fallback to its index.html so client-side routes survive a reload. Static files answer before
/// authentication: the pages are public, the data behind them is not. Files go out as the build compressed them
/// (Brotli or gzip, PrecompressedFiles) to browsers that take it.
/// </summary>
public static class WebAppHosting
{
    /// <summary>
    /// Prepaid:WebRoot if set, the build output beside the binary (published), or Prepaid.Web/dist found upwards from
    /// the content root or the binary (a source checkout: dotnet run, the tests, the benchmark).
    /// </summary>
    public static string? Locate(IWebHostEnvironment env, IConfiguration config)
    {
        var candidates = new List<string> { config["Prepaid:WebRoot"] ?? "", Path.Combine(AppContext.BaseDirectory, "web") };
        foreach (var start in new[] { env.ContentRootPath, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                candidates.Add(Path.Combine(dir.FullName, "Prepaid.Web", "dist"));
        return candidates.FirstOrDefault(c => c.Length > 0 && File.Exists(Path.Combine(c, "index.html")));
    }

    public static void UseWebApp(this WebApplication app)
    {
        var root = Locate(app.Environment, app.Configuration);
        if (root is null)
        {
            // No web build (SkipWebBuild, or npm missing): the API stays usable and / shows its reference.
            app.MapGet("/", () => Results.Redirect("/api-docs")).AllowAnonymous().ExcludeFromDescription();
            return;
        }
        var files = new PhysicalFileProvider(root);
        app.UsePrecompressedFiles(files);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = PrecompressedFiles.ContentTypes,
            // Vite names assets by content hash: cache them for good; index.html is never cached so a deploy shows at once.
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.CacheControl =
                    c.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache";
                PrecompressedFiles.PrepareResponse(c.Context);
            },
        });
        IResult Page(HttpContext http, string path) => PrecompressedFiles.Page(http, root, path);
        app.MapGet("/", (HttpContext http) => Page(http, "index.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapFallback("/m/{*path:nonfile}", (HttpContext http) => Page(http, Path.Combine("m", "index.html"))).AllowAnonymous().ExcludeFromDescription();
        app.MapFallback("{*path:nonfile}", (HttpContext http) =>
            http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs") || http.Request.Path.StartsWithSegments("/demo")
                ? Results.Problem(title: $"{http.Request.Path} was not found.", statusCode: StatusCodes.Status404NotFound)
                : Page(http, "index.html")).AllowAnonymous().ExcludeFromDescription();
    }
}
