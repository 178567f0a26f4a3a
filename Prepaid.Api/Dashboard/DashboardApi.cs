using System.Security.Claims;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Dashboard;

public static class DashboardApi
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization(Roles.Staff);
        group.MapGet("/meters", Meters).WithSummary("The live grid's snapshot: one row per meter; the hub's meterChanged keeps it current");
        group.MapGet("/overview", Overview).WithSummary("Meters per dashboard state (notOpened, normal, alarm1, alarm2, arrears, keepOn, offline)");
    }

    static async Task<IResult> Meters(ClaimsPrincipal user, Db db, DashboardGrid grid, CancellationToken ct, long? siteId = null)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await grid.LoadAsync(connection, user.SitesJson(), siteId));
    }

    static async Task<IResult> Overview(ClaimsPrincipal user, Db db, DashboardGrid grid, CancellationToken ct, long? siteId = null)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await grid.LoadAsync(connection, user.SitesJson(), siteId);
        var counts = DashboardStates.All.ToDictionary(x => x, x => rows.Count(r => r.State == x));
        return TypedResults.Ok(new { siteId, total = rows.Count, counts });
    }
}
