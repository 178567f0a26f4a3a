using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Prepaid.Api.Helpdesk;

/// <summary>
/// The helpdesk's endpoints and its one limit: requests filed per tenant per hour (<c>Prepaid:Helpdesk:FilingsPerTenantPerHour</c>,
/// default 10), on the rate limiter the sign-in limits use, partitioned by the signed-in user rather than the address (tenants
/// of one building share a carrier's address).
/// </summary>
public static class HelpdeskSetup
{
    public const string FilingLimit = "helpdesk-filing";
    public const int DefaultFilingsPerHour = 10;

    public static void AddHelpdesk(this WebApplicationBuilder builder)
    {
        var perHour = Math.Clamp(builder.Configuration.GetValue("Prepaid:Helpdesk:FilingsPerTenantPerHour", DefaultFilingsPerHour), 1, 1_000_000);
        builder.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(FilingLimit, http =>
            RateLimitPartition.GetFixedWindowLimiter(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous", _ =>
                new FixedWindowRateLimiterOptions { PermitLimit = perHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 })));
    }

    public static void MapHelpdesk(this IEndpointRouteBuilder app)
    {
        app.MapTenantRequests();
        app.MapStaffRequests();
    }
}
