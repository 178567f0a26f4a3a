using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.HeatAllocations;

public static class HeatAllocationsApi
{
    public static void MapHeatAllocations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/heat-allocations").WithTags("Heat allocation").CheckParameters();
        group.MapPost("/", Run).Validate<HeatAllocationRequest, HeatAllocationValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Allocate a building's heat over [from, to) by 2EG / 3EG and debit each flat (R34); the same request twice posts nothing more");
        group.MapGet("/", List).RequireAuthorization(Roles.Staff).WithSummary("The site's allocation runs, newest period first");
        group.MapGet("/{allocationId:long}", Get).RequireAuthorization(Roles.Staff).WithSummary("One run with each flat's model, area, units, quantity and amount");

        var settings = app.MapGroup("/api/sites/{siteId:long}/heat-settings").WithTags("Heat allocation");
        settings.MapGet("/", GetSettings).RequireAuthorization(Roles.Staff);
        settings.MapPut("/", PutSettings).Validate<HeatSettingsRequest, HeatSettingsValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("The building's Ur (0.50–0.90) and correction factor k (R34)");
    }

    static async Task<IResult> Run(HeatAllocationRequest r, ClaimsPrincipal user, HeatAllocationRun run, CancellationToken ct) =>
        user.MaySee(r.SiteId)
            ? await run.RunAsync(r, user.Id(), ct)
            : Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");

    static async Task<IResult> Get(long allocationId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long SiteId, string ResultJson)?>(
            "SELECT site_id, result_json FROM heat_allocations WHERE id = @allocationId", new { allocationId });
        return row is { } r && user.MaySee(r.SiteId)
            ? TypedResults.Ok(JsonDocument.Parse(r.ResultJson).RootElement)
            : Problems.NotFound($"Heat allocation {allocationId}");
    }

    static async Task<IResult> List(long siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<string>(
            "SELECT result_json FROM heat_allocations WHERE site_id = @siteId ORDER BY from_ms DESC, id DESC", new { siteId });
        return TypedResults.Ok(rows.Select(json =>
        {
            var e = JsonDocument.Parse(json).RootElement;
            return new
            {
                id = e.GetProperty("id").GetInt64(), siteId, from = e.GetProperty("from").GetString(), to = e.GetProperty("to").GetString(),
                quantity = e.GetProperty("quantity").GetString(), totalCost = e.GetProperty("totalCost").GetString(),
                flats = e.GetProperty("flats").GetArrayLength(),
            };
        }));
    }

    static async Task<IResult> GetSettings(long siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(siteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @siteId", new { siteId }) == 0)
            return Problems.NotFound($"Site {siteId}");
        var s = await HeatSettings.LoadAsync(connection, null, siteId);
        return TypedResults.Ok(Shape(siteId, s));
    }

    static async Task<IResult> PutSettings(long siteId, HeatSettingsRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(siteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @siteId", new { siteId }) == 0)
            return Problems.NotFound($"Site {siteId}");
        var settings = new HeatSettings(HeatAllocationRun.Canonical(r.Ur)!,
            HeatAllocationRun.Canonical(r.CorrectionFactor ?? ApiFormat.Decimal(Engine.HeatAllocation.DefaultCorrectionFactor))!);
        await using var tx = db.Dialect.BeginWrite(connection);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await connection.ExecuteAsync(
                "UPDATE heat_settings SET ur = @Ur, correction_factor = @CorrectionFactor, updated_at_ms = @nowMs WHERE site_id = @siteId",
                new { settings.Ur, settings.CorrectionFactor, nowMs, siteId }, tx) == 0)
            await connection.ExecuteAsync(
                "INSERT INTO heat_settings (site_id, ur, correction_factor, updated_at_ms) VALUES (@siteId, @Ur, @CorrectionFactor, @nowMs)",
                new { settings.Ur, settings.CorrectionFactor, nowMs, siteId }, tx);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(Shape(siteId, settings));
    }

    /// <summary>Unset settings answer the defaults the run would use when a request leaves them out: no Ur, k = 2.0.</summary>
    static object Shape(long siteId, HeatSettings? s) => new
    {
        siteId, configured = s is not null, ur = s?.Ur,
        correctionFactor = s?.CorrectionFactor ?? HeatAllocationRun.Canonical(ApiFormat.Decimal(Engine.HeatAllocation.DefaultCorrectionFactor)),
    };
}
