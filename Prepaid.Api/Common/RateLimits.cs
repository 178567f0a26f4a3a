using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Prepaid.Api.Auth;
using Prepaid.Api.Payments;

namespace Prepaid.Api.Common;

/// <summary>
/// ASP.NET Core's rate limiter for the endpoints anyone can reach: sign-in (and password changes) and the payment
/// channels' notifications, each a fixed one-minute window per client address (thresholds in the README's
/// configuration table). Behind a reverse proxy the client address is the proxy's unless forwarded headers are set up.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Notifications = "notifications";
    public const string TooManyTitle = "Too many requests; try again later.";

    public static void AddRateLimits(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy(SignIn, http => PerAddress(http, http.RequestServices.GetRequiredService<SignInOptions>().PerAddressPerMinute));
        o.AddPolicy(Notifications, http => PerAddress(http, http.RequestServices.GetRequiredService<PaymentsOptions>().NotificationsPerAddressPerMinute));
        o.OnRejected = async (context, ct) =>
        {
            var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var a) ? a : TimeSpan.FromMinutes(1);
            await TooMany(context.HttpContext.Response, after).ExecuteAsync(context.HttpContext);
        };
    });

    static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>429 with Retry-After, the same answer whichever limit or lockout refused the request.</summary>
    public static IResult TooMany(HttpResponse response, TimeSpan retryAfter)
    {
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: TooManyTitle, statusCode: StatusCodes.Status429TooManyRequests,
            type: "https://tools.ietf.org/html/rfc6585#section-4");
    }
}
