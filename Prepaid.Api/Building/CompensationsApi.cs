using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Building;

/// <summary>The compensation quota (R35): preview the difference to the utility's bill, post it, list the runs.</summary>
public static class CompensationsApi
{
    public static void MapCompensations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/compensations").WithTags("Building").CheckParameters();
        group.MapPost("/", (CompensationRequest r, ClaimsPrincipal user, CompensationRunner runner, CancellationToken ct) => runner.RunAsync(r, user, ct))
            .Validate<CompensationRequest, CompensationValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Posts the bill's difference to what the tenants were charged, pro rata (R35); the same request again posts nothing");
        group.MapPost("/preview", (CompensationRequest r, ClaimsPrincipal user, CompensationRunner runner, CancellationToken ct) => runner.PreviewAsync(r, user, ct))
            .Validate<CompensationRequest, CompensationValidator>().RequireAuthorization(Roles.Staff)
            .WithSummary("What POST /api/compensations would post, without posting");
        group.MapGet("/", List).RequireAuthorization(Roles.Staff);
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<string>($"""
            SELECT result_json FROM compensations
            WHERE (@siteId IS NULL OR site_id = @siteId) AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY id DESC
            """, new { siteId, sites = user.SitesJson() });
        return TypedResults.Ok(rows.Select(r => JsonDocument.Parse(r).RootElement));
    }
}
