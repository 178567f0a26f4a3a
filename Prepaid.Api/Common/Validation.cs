using FluentValidation;

namespace Prepaid.Api.Common;

/// <summary>
/// Runs a request's FluentValidation validator before the handler (explicitly: FluentValidation's
/// auto-validation does not fit minimal APIs) and answers 400 with per-field errors.
/// </summary>
public static class Validation
{
    public static RouteHandlerBuilder Validate<TRequest, TValidator>(this RouteHandlerBuilder builder)
        where TValidator : IValidator<TRequest>, new()
    {
        var validator = new TValidator();
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            if (request is null) return Problems.Field("body", "A JSON body is required.");
            var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
            if (result.IsValid) return await next(context);
            return Problems.Fields(result.Errors
                .GroupBy(e => Camel(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
        });
    }

    /// <summary>"Meters[0].OpeningReading.At" → "meters[0].openingReading.at", the JSON path the client sent.</summary>
    public static string Camel(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}
