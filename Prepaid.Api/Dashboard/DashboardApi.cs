using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Helpdesk;

namespace Prepaid.Api.Dashboard;

public static class DashboardApi
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization(Roles.Staff);
        group.MapGet("/meters", Meters).WithSummary("The live grid's snapshot: one row per meter; the hub's meterChanged keeps it current");
        group.MapGet("/overview", Overview).WithSummary(
            "Meters per dashboard state, pending trips, today's top-ups and consumption, a 30-day trend, failed commands and open alarms (site's days)");
    }

    static async Task<IResult> Meters(ClaimsPrincipal user, Db db, DashboardGrid grid, CancellationToken ct, long? siteId = null)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await grid.LoadAsync(connection, user.SitesJson(), siteId));
    }

    static async Task<IResult> Overview(ClaimsPrincipal user, Db db, DashboardGrid grid, TimeProvider time, CancellationToken ct, long? siteId = null)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        var zone = TimeZoneInfo.Utc;
        if (siteId is not null)
        {
            // A site that does not exist has an empty overview, like its empty grid.
            var zoneId = await connection.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId });
            if (zoneId is not null) zone = ApiFormat.Zone(zoneId);
        }
        var rows = await grid.LoadAsync(connection, user.SitesJson(), siteId);
        var counts = DashboardStates.All.ToDictionary(x => x, x => rows.Count(r => r.State == x));
        var pendingTrips = rows.Where(r => r.SupplyCutAt is not null).OrderBy(r => DateTimeOffset.Parse(r.SupplyCutAt!, System.Globalization.CultureInfo.InvariantCulture))
            .Select(r => new { meterId = r.MeterId, serial = r.Serial, accountId = r.AccountId, tenant = r.Tenant, balance = r.Balance, supplyCutAt = r.SupplyCutAt })
            .ToList();
        var f = await OverviewFigures.LoadAsync(connection, db, new(siteId, user.SitesJson()), zone, time.GetUtcNow());
        var requests = await HelpdeskCounts.LoadAsync(connection, db, siteId, user.SitesJson());
        return TypedResults.Ok(new
        {
            siteId, total = rows.Count, counts, zone = f.Zone, today = f.Today, topUpsToday = f.TopUpsToday, consumptionToday = f.ConsumptionToday, chargesToday = f.ChargesToday,
            trend = f.Trend, pendingTrips, failedCommands = f.FailedCommands, offlineMeters = counts[DashboardStates.Offline], openAlarms = f.OpenAlarms,
            requests,
        });
    }
}
