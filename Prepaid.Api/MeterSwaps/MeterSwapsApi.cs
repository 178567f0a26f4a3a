using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.MeterSwaps;

public static class MeterSwapsApi
{
    public static void MapMeterSwaps(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/meters/{meterId:long}/replace", (long meterId, ReplaceMeterRequest r, ClaimsPrincipal user, MeterSwap swap, CancellationToken ct) =>
                swap.ReplaceAsync(meterId, r, user, ct))
            .WithTags("Meters").Validate<ReplaceMeterRequest, ReplaceMeterValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Swap a meter (新老表切换): final reading of the old, initial reading of the new, same account, tariff, balance and cumulative cost");
        app.MapGet("/api/meters/{meterId:long}/replacements", List).WithTags("Meters").RequireAuthorization(Roles.Staff)
            .WithSummary("The swaps a meter took part in, as the old or the new meter");
    }

    static async Task<IResult> List(long meterId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId });
        if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Meter {meterId}");
        var pairs = await connection.QueryAsync<(long Old, long New)>(
            "SELECT old_meter_id, new_meter_id FROM meter_replacements WHERE old_meter_id = @meterId OR new_meter_id = @meterId ORDER BY at_ms, id", new { meterId });
        var list = new List<object>();
        foreach (var (o, n) in pairs) list.Add((await MeterSwap.AnswerAsync(connection, null, o, n))!);
        return TypedResults.Ok(list);
    }
}
