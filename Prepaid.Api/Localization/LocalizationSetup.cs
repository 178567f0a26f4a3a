using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Prepaid.Api.Localization;

/// <summary>
/// The caller's language, zh-CN or en, from <c>Accept-Language</c> (any zh-* is zh-CN) or, for the hub's socket
/// which cannot set headers, a <c>lang</c> query parameter; English when neither says. Only the UI culture changes:
/// number and date formats of the API's own text forms stay invariant. Every problem answer passes through one hook
/// that renders its title, detail and field errors through <see cref="Catalog"/>.
/// </summary>
public static class LocalizationSetup
{
    public static void AddApiLocalization(this IServiceCollection services)
    {
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(CultureInfo.CurrentCulture, Catalog.English);
            // The culture (formats) is never taken from the caller: only the UI culture is listed.
            o.SupportedCultures = [CultureInfo.CurrentCulture];
            o.SupportedUICultures = [Catalog.Chinese, Catalog.English];
            o.RequestCultureProviders = [new CustomRequestCultureProvider(http => Task.FromResult(Choose(http.Request)))];
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => Localize(c.HttpContext, c.ProblemDetails));
        // The default writer declines a caller whose Accept names neither JSON type (a browser's text/html); the
        // answer is then still problem JSON, and still localized, from this writer rather than unhooked by the framework.
        services.AddSingleton<IProblemDetailsWriter, FallbackProblemWriter>();
        // FluentValidation's own messages ("'Name' must not be empty.") follow the UI culture by themselves: it ships zh-CN.
    }

    public static IApplicationBuilder UseApiLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    /// <summary>The caller's language: the request localization's choice, or the headers' if it has not run for this answer.</summary>
    public static CultureInfo CultureOf(HttpContext http) =>
        http.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture
        ?? (Choose(http.Request) is { } r && r.UICultures.Count > 0 && Catalog.IsChinese(CultureInfo.GetCultureInfo(r.UICultures[0].Value!)) ? Catalog.Chinese : Catalog.English);

    static ProviderCultureResult? Choose(HttpRequest request)
    {
        if (request.Query.TryGetValue("lang", out var lang) && Pick(lang.ToString()) is { } fromQuery) return Result(fromQuery);
        var values = request.GetTypedHeaders().AcceptLanguage;
        foreach (var v in values.OrderByDescending(v => v.Quality ?? 1))
            if (v.Quality is not 0 && Pick(v.Value.Value) is { } chosen) return Result(chosen);
        return null;
    }

    static string? Pick(string? tag) =>
        tag is null ? null
        : tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Catalog.Chinese.Name
        : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Catalog.English.Name
        : null;

    // The culture part names a culture that is not supported, so the formats stay the default's.
    static ProviderCultureResult Result(string uiCulture) => new(uiCulture, uiCulture);

    internal static void Localize(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var culture = CultureOf(http);
        if (!Catalog.IsChinese(culture)) return;
        if (problem.Title is { } title) problem.Title = Catalog.Localize(title, culture);
        // A detail may quote the framework's own English (a JSON reader's message): it is kept, and said to be English.
        if (problem.Detail is { } detail)
            problem.Detail = Catalog.Localize(detail, culture) is var zh && Catalog.HasChinese(zh) ? zh : "详情（英文原文）：" + detail;
        if (problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields)
            problem.Extensions["errors"] = fields.ToDictionary(f => f.Key, f => f.Value.Select(m => Catalog.Localize(m, culture)).ToArray());
    }
}

/// <summary>Writes what the default problem writer declines, through the same localization.</summary>
sealed class FallbackProblemWriter(Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        LocalizationSetup.Localize(context.HttpContext, context.ProblemDetails);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, json.Value.SerializerOptions, "application/problem+json"));
    }
}
