using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using FluentValidation;
using Prepaid.Api.Alarms;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Meters;

/// <summary>A meter's limits: <c>overloadLimit</c> in kW, or null to remove it.</summary>
public sealed record MeterLimitsRequest([property: Description(Limits.PowerDoc + " Null removes the limit."), RegularExpression(Limits.PowerPattern)] string? OverloadLimit);

public sealed class MeterLimitsValidator : AbstractValidator<MeterLimitsRequest>
{
    public MeterLimitsValidator() =>
        RuleFor(r => r.OverloadLimit).Must(Limits.IsPower).When(r => r.OverloadLimit is not null).WithMessage(Limits.PowerRule);
}

/// <summary>
/// Per-meter limits, as commercial platforms offer them: an overload (power) limit. It is compared with the power readings
/// carry (an <c>overload</c> alarm, see <see cref="OverloadAlarms"/>) and, where the meter's profile takes it, written to the
/// meter by <c>pushSettings</c> so the meter trips on overload itself.
/// </summary>
public static class MeterLimitsApi
{
    public static void MapMeterLimits(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/meters/{meterId:long}/limits", Put).WithTags("Meters").Validate<MeterLimitsRequest, MeterLimitsValidator>()
            .RequireAuthorization(Roles.Manage).WithSummary("Set or remove a meter's overload limit (kW); push it to the meter with the pushSettings command");
    }

    /// <summary>The meter's overload limit in W, for pushSettings and the overload check; null when none is set.</summary>
    public static Task<long?> OverloadWattsAsync(DbConnection connection, DbTransaction? tx, long meterId) =>
        connection.ExecuteScalarAsync<long?>("SELECT overload_limit_w FROM meters WHERE id = @meterId", new { meterId }, tx);

    static async Task<IResult> Put(long meterId, MeterLimitsRequest request, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId });
        if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Meter {meterId}");
        long? watts = request.OverloadLimit is null ? null : Limits.Watts(request.OverloadLimit);
        await connection.ExecuteAsync("UPDATE meters SET overload_limit_w = @watts WHERE id = @meterId", new { watts, meterId });
        return TypedResults.Ok(new { meterId, overloadLimit = watts is { } w ? OverloadAlarms.Kw(w) : null });
    }
}
