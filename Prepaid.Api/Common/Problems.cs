namespace Prepaid.Api.Common;

/// <summary>RFC 9457 answers with a title a person can act on and, for bad input, the field at fault.</summary>
public static class Problems
{
    public static IResult Field(string field, string reason, int status = StatusCodes.Status400BadRequest, string? title = null) =>
        Fields(new Dictionary<string, string[]> { [field] = [reason] }, status, title);

    public static IResult Fields(IDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest, string? title = null) =>
        TypedResults.Problem(title: title ?? "The request has invalid fields.", statusCode: status, type: TypeFor(status),
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult NotFound(string what) =>
        TypedResults.Problem(title: $"{what} was not found.", statusCode: StatusCodes.Status404NotFound, type: TypeFor(404));

    public static IResult Conflict(string title) =>
        TypedResults.Problem(title: title, statusCode: StatusCodes.Status409Conflict, type: TypeFor(409));

    /// <summary>422: the input is well formed but a business rule refuses it (price cap, insufficient balance).</summary>
    public static IResult Refused(string field, string reason, string title) =>
        Fields(new Dictionary<string, string[]> { [field] = [reason] }, StatusCodes.Status422UnprocessableEntity, title);

    static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        _ => "about:blank",
    };
}
