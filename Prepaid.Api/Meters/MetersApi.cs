using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Meters;

public static class MetersApi
{
    public static void MapMeters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/meters").WithTags("Meters").CheckParameters();
        group.MapPost("/", Create).Validate<CreateMeterRequest, CreateMeterValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/", List).RequireAuthorization(Roles.Staff);
        group.MapGet("/{meterId:long}", Get).RequireAuthorization(Roles.Staff);
        group.MapGet("/{meterId:long}/readings", MeterReadings.GetAsync).RequireAuthorization(Roles.Staff)
            .WithSummary("The meter's stored readings: JSON pages newest first; ?from=&to=&format=csv|xlsx exports [from, to) oldest first");
    }

    static async Task<IResult> Create(CreateMeterRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(r.SiteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", new { r.SiteId }) == 0)
            return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meters WHERE serial = @Serial", new { r.Serial }) > 0)
            return Problems.Field("serial", $"A meter with serial {r.Serial} already exists.", StatusCodes.Status409Conflict, "The serial is taken.");
        ApiFormat.TryUtility(r.Utility, out var utility);
        if (r.TariffId is { } tariffId && await connection.ExecuteScalarAsync<string?>(
                "SELECT utility FROM tariffs WHERE id = @tariffId AND site_id = @SiteId", new { tariffId, r.SiteId }) != r.Utility)
            return Problems.Field("tariffId", "Must be a tariff of the same site and utility.");

        decimal ratedMax = r.RatedMaxPerHour is not null
            ? ApiFormat.ParseDecimal(r.RatedMaxPerHour)
            : MeterSpec.DefaultRatedMaxPerHour(utility, r.RatedCurrentA is null ? 60m : ApiFormat.ParseDecimal(r.RatedCurrentA), r.Phases ?? 1);
        var resolution = r.Resolution ?? (utility == Utility.Electricity ? "0.01" : "0.001");
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("meters",
            "site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, tariff_id, connection_json, created_at_ms, kind",
            "@SiteId, @Serial, @Utility, @multiplier, @registerMax, @ratedMax, @resolution, @TariffId, @connection, @nowMs, @kind"),
            new
            {
                r.SiteId, r.Serial, r.Utility, multiplier = r.Multiplier ?? "1", registerMax = r.RegisterMax ?? "1000000",
                ratedMax = ApiFormat.Decimal(ratedMax), resolution, r.TariffId,
                connection = r.Connection is { ValueKind: not System.Text.Json.JsonValueKind.Null } c ? c.GetRawText() : null,
                nowMs = time.GetUtcNow().ToUnixTimeMilliseconds(), kind = r.Kind ?? MeterKinds.Meter,
            });
        return TypedResults.Created($"/api/meters/{id}", await LoadAsync(connection, id));
    }

    static async Task<IResult> List(long? siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<MeterRow>(
            SelectMeter + $" WHERE (@siteId IS NULL OR m.site_id = @siteId) AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY m.id",
            new { siteId, sites = user.SitesJson() });
        return TypedResults.Ok(rows.Select(Shape));
    }

    static async Task<IResult> Get(long meterId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MeterRow>(SelectMeter + " WHERE m.id = @meterId", new { meterId });
        return row is not null && user.MaySee(row.SiteId) ? TypedResults.Ok(Shape(row)) : Problems.NotFound($"Meter {meterId}");
    }

    sealed record MeterRow(long Id, long SiteId, string Serial, string Utility, string Multiplier, string RegisterMax, string RatedMaxPerHour,
        string Resolution, long? TariffId, string? ConnectionJson, string RelayState, long? AccountId, long? OverloadLimitW, string Kind);

    const string SelectMeter = """
        SELECT m.id, m.site_id, m.serial, m.utility, m.multiplier, m.register_max, m.rated_max_per_hour, m.resolution,
               m.tariff_id, m.connection_json, m.relay_state, am.account_id, m.overload_limit_w, m.kind
        FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
        """;

    static async Task<object?> LoadAsync(DbConnection connection, long id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MeterRow>(SelectMeter + " WHERE m.id = @id", new { id });
        return row is null ? null : Shape(row);
    }

    static object Shape(MeterRow m) => new
    {
        id = m.Id, siteId = m.SiteId, serial = m.Serial, utility = m.Utility, multiplier = m.Multiplier, registerMax = m.RegisterMax,
        ratedMaxPerHour = m.RatedMaxPerHour, resolution = m.Resolution, tariffId = m.TariffId, relay = m.RelayState, accountId = m.AccountId, kind = m.Kind,
        overloadLimit = m.OverloadLimitW is { } w ? Prepaid.Api.Alarms.OverloadAlarms.Kw(w) : null,
        connection = m.ConnectionJson is null ? (object?)null : System.Text.Json.JsonDocument.Parse(m.ConnectionJson).RootElement,
    };
}
