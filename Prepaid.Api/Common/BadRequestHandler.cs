using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Prepaid.Api.Common;

/// <summary>
/// A body that is not JSON of the expected shape, or a parameter that does not bind, answers 400 with a problem detail
/// naming the field, in every environment: a JSON type error or a duplicate key carries its JSON path ("$.meters[0].tariffId"),
/// a parameter its name. Program.cs sets <c>ThrowOnBadRequest</c> so these reach this handler instead of an empty 400.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var (field, reason) = FieldOf(bad);
        http.Response.StatusCode = bad.StatusCode;
        var details = new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest
                    ? "The request could not be read: send well-formed JSON and parameters of the documented shape."
                    : "The request could not be read.",
                Detail = Clean(bad.InnerException?.Message ?? bad.Message),
                Type = bad.StatusCode == StatusCodes.Status400BadRequest ? "https://tools.ietf.org/html/rfc9110#section-15.5.1" : "about:blank",
            },
        };
        if (field is not null) details.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [reason!] };
        return await problems.TryWriteAsync(details);
    }

    static (string? Field, string? Reason) FieldOf(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            if (json.Message.StartsWith(NulGuard.Reason, StringComparison.Ordinal)) return (JsonPath(json.Path), NulGuard.Reason);
            var duplicate = json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal);
            return (JsonPath(json.Path), duplicate
                ? "Appears more than once in the same object: send each field once."
                : "Has the wrong JSON type or does not fit it; see the OpenAPI schema for the field's type and range.");
        }
        if (bad.StatusCode != StatusCodes.Status400BadRequest) return (null, null);
        // The framework's messages name the parameter: Failed to bind parameter "int limit" from "abc". /
        // Required parameter "TopUpRequest r" was not provided from body.
        var m = ParameterMessage().Match(bad.Message);
        if (!m.Success) return ("body", "The body could not be read as the documented JSON.");
        if (m.Groups["value"].Success)
            return (m.Groups["name"].Value, $"\"{Shorten(m.Groups["value"].Value)}\" is not a valid {Kind(m.Groups["type"].Value)}.");
        return bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? ("body", "A JSON body of the documented shape is required.")
            : (m.Groups["name"].Value, "Is required.");
    }

    /// <summary>"$.meters[0].TariffId" → "meters[0].tariffId"; "$[3].at" → "[3].at"; "$" → "body".</summary>
    public static string JsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var p = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return Validation.Camel(p);
    }

    static string Kind(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "Int32" or "Int64" => "integer",
        "bool" or "Boolean" => "true or false",
        _ => "value",
    };

    static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // Framework messages quote what was sent: keep the answer short whatever its length.
    static string Clean(string message) => message.Length <= 300 ? message : message[..300] + "…";

    [GeneratedRegex("parameter \"(?<type>[^\" ]+) (?<name>[^\" ]+)\"(?: from \"(?<value>.*)\")?", RegexOptions.Singleline)]
    private static partial Regex ParameterMessage();
}
