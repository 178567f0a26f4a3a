using Microsoft.AspNetCore.Diagnostics;

namespace Prepaid.Api.Common;

/// <summary>
/// A body that is not JSON of the expected shape answers 400 with a problem detail, in every environment
/// (in Development ASP.NET Core throws instead of answering, which would otherwise surface as a 500).
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        http.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "The request body could not be read: send well-formed JSON of the documented shape.",
                Detail = bad.InnerException?.Message ?? bad.Message,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            },
        });
    }
}
