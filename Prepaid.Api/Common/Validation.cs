using FluentValidation;

namespace Prepaid.Api.Common;

/// <summary>
/// Runs a request's FluentValidation validator before the handler (explicitly: FluentValidation's
/// auto-validation does not fit minimal APIs) and answers 400 with per-field errors.
/// </summary>
public static class Validation
{
    public static RouteHandlerBuilder Validate<TRequest, TValidator>(this RouteHandlerBuilder builder, bool bodyOptional = false)
        where TValidator : IValidator<TRequest>, new()
    {
        var validator = new TValidator();
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            if (request is null) return bodyOptional ? await next(context) : Problems.Field("body", "A JSON body is required.");
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

    /// <summary>
    /// Checks the DataAnnotations on a handler's own parameters (<c>[Range(1, 500)] int limit</c>, <c>[MaxLength(100)] string? kind</c>):
    /// the same attributes document the range in the OpenAPI document. A value outside answers 400 naming the parameter.
    /// </summary>
    public static TBuilder CheckParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var checks = factory.MethodInfo.GetParameters()
                .Select((p, i) => (Name: p.Name!, Index: i, Rules: p.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.ValidationAttribute), true)
                    .Cast<System.ComponentModel.DataAnnotations.ValidationAttribute>().ToArray()))
                .Where(c => c.Rules.Length > 0).ToArray();
            if (checks.Length == 0) return next;
            return async context =>
            {
                Dictionary<string, string[]>? errors = null;
                foreach (var (name, index, rules) in checks)
                {
                    var failed = rules.Where(r => !r.IsValid(context.Arguments[index])).Select(r => r.FormatErrorMessage(name)).ToArray();
                    if (failed.Length > 0) (errors ??= [])[name] = failed;
                }
                return errors is null ? await next(context) : Problems.Fields(errors);
            };
        });
}
