using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;

namespace Prepaid.Api.Sites;

public static class SitesApi
{
    public static void MapSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sites").WithTags("Sites");
        group.MapPost("/", CreateSite).Validate<CreateSiteRequest, CreateSiteValidator>().RequireAuthorization(Roles.AdminOnly);
        group.MapGet("/", ListSites).RequireAuthorization(Roles.Staff);
        group.MapGet("/{siteId:long}", GetSite).RequireAuthorization(Roles.Staff);
        group.MapPost("/{siteId:long}/rooms", CreateRoom).Validate<CreateRoomRequest, CreateRoomValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/{siteId:long}/rooms", ListRooms).RequireAuthorization(Roles.Staff);
    }

    static async Task<IResult> CreateSite(CreateSiteRequest r, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("sites",
            "name, time_zone, allow_above_cap, night_from, night_to, weekends_friendly, created_at_ms",
            "@Name, @TimeZone, @allowAboveCap, @nightFrom, @nightTo, @weekends, @nowMs"),
            new { r.Name, r.TimeZone, allowAboveCap = r.AllowAboveCap ? 1 : 0, nightFrom = r.FriendlyCutoff?.NightFrom, nightTo = r.FriendlyCutoff?.NightTo,
                  weekends = r.FriendlyCutoff?.Weekends == true ? 1 : 0, nowMs }, tx);
        foreach (var day in r.FriendlyCutoff?.Holidays?.Distinct() ?? [])
            await connection.ExecuteAsync("INSERT INTO site_holidays (site_id, day) VALUES (@id, @day)", new { id, day }, tx);
        await SiteLedger.EnsureAsync(connection, tx, db.Dialect, id);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/sites/{id}", await LoadAsync(connection, id));
    }

    static async Task<IResult> ListSites(ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>($"SELECT id FROM sites WHERE @sites IS NULL OR id IN {db.Dialect.IdsFromJson("@sites")} ORDER BY id",
            new { sites = user.SitesJson() });
        var sites = new List<object>();
        foreach (var id in ids) sites.Add((await LoadAsync(connection, id))!);
        return TypedResults.Ok(sites);
    }

    static async Task<IResult> GetSite(long siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        return await LoadAsync(connection, siteId) is { } site ? TypedResults.Ok(site) : Problems.NotFound($"Site {siteId}");
    }

    static async Task<object?> LoadAsync(System.Data.Common.DbConnection connection, long id)
    {
        var site = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, string TimeZone, long AllowAboveCap, string? NightFrom, string? NightTo, long Weekends)>(
            "SELECT id, name, time_zone, allow_above_cap, night_from, night_to, weekends_friendly FROM sites WHERE id = @id", new { id });
        if (site.Id == 0) return null;
        var holidays = await connection.QueryAsync<string>("SELECT day FROM site_holidays WHERE site_id = @id ORDER BY day", new { id });
        return new
        {
            id = site.Id, name = site.Name, timeZone = site.TimeZone, allowAboveCap = site.AllowAboveCap == 1,
            friendlyCutoff = new { nightFrom = site.NightFrom, nightTo = site.NightTo, weekends = site.Weekends == 1, holidays },
        };
    }

    static async Task<IResult> CreateRoom(long siteId, CreateRoomRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @siteId", new { siteId }) == 0)
            return Problems.NotFound($"Site {siteId}");
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rooms WHERE site_id = @siteId AND code = @Code", new { siteId, r.Code }) > 0)
            return Problems.Field("code", $"Room code {r.Code} already exists in this site.", StatusCodes.Status409Conflict, "The room already exists.");
        var areaCm2 = (long)(ApiFormat.ParseDecimal(r.AreaM2!) * 10_000m);
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("rooms",
            "site_id, code, name, area_cm2, created_at_ms", "@siteId, @Code, @Name, @areaCm2, @nowMs"),
            new { siteId, r.Code, r.Name, areaCm2, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return TypedResults.Created($"/api/sites/{siteId}/rooms/{id}", new { id, siteId, code = r.Code, name = r.Name, areaM2 = ApiFormat.Decimal(areaCm2 / 10_000m) });
    }

    static async Task<IResult> ListRooms(long siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        var rooms = await connection.QueryAsync<(long Id, string Code, string Name, long AreaCm2)>(
            "SELECT id, code, name, area_cm2 FROM rooms WHERE site_id = @siteId ORDER BY code", new { siteId });
        return TypedResults.Ok(rooms.Select(r => new { id = r.Id, siteId, code = r.Code, name = r.Name, areaM2 = ApiFormat.Decimal(r.AreaCm2 / 10_000m) }));
    }
}
