using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Reports;
using Prepaid.Engine;

namespace Prepaid.Api.Building;

/// <summary>Circuits and their balance per day or month (R32).</summary>
public static class CircuitsApi
{
    sealed record Circuit(long Id, long SiteId, string Name, string Utility, long MasterMeterId, string ThresholdPct, string TimeZone);

    public static void MapCircuits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/circuits").WithTags("Building").CheckParameters();
        group.MapPost("/", Create).Validate<CreateCircuitRequest, CreateCircuitValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("A master meter and its sub-meters (R32); the alarm threshold of |imbalance %| defaults to 5");
        group.MapGet("/", List).RequireAuthorization(Roles.Staff);
        group.MapGet("/{circuitId:long}", Get).RequireAuthorization(Roles.Staff);
        group.MapDelete("/{circuitId:long}", Delete).RequireAuthorization(Roles.Manage).WithSummary("Ends the circuit and clears its open alarm; its history stays");
        group.MapGet("/{circuitId:long}/balance", Balance).RequireAuthorization(Roles.Staff)
            .WithSummary("Imbalance per site-local day or month of [from, to) (R32); a period where a meter has no reading is noData, never zero");
    }

    static async Task<Circuit?> LoadAsync(DbConnection c, ClaimsPrincipal user, long circuitId)
    {
        var circuit = await c.QuerySingleOrDefaultAsync<Circuit>("""
            SELECT c.id, c.site_id, c.name, c.utility, c.master_meter_id, c.threshold_pct, s.time_zone
            FROM circuits c JOIN sites s ON s.id = c.site_id WHERE c.id = @circuitId AND c.deleted_at_ms IS NULL
            """, new { circuitId });
        return circuit is not null && user.MaySee(circuit.SiteId) ? circuit : null;
    }

    static async Task<IResult> Create(CreateCircuitRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(r.SiteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", new { r.SiteId }) == 0)
            return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        var ids = r.SubMeterIds!.Append(r.MasterMeterId).ToList();
        var meters = (await connection.QueryAsync<(long Id, long SiteId, string Utility, string Serial)>(
            $"SELECT id, site_id, utility, serial FROM meters WHERE id IN {db.Dialect.IdsFromJson("@ids")}", new { ids = JsonSerializer.Serialize(ids) }))
            .ToDictionary(m => m.Id);
        if (!meters.TryGetValue(r.MasterMeterId, out var master) || master.SiteId != r.SiteId) return Problems.Field("masterMeterId", "Must be a meter of the site.");
        if (master.Utility is not ("electricity" or "water")) return Problems.Field("masterMeterId", "A circuit balances water or electricity meters.");
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < r.SubMeterIds!.Count; i++)
        {
            if (!meters.TryGetValue(r.SubMeterIds[i], out var m) || m.SiteId != r.SiteId) errors[$"subMeterIds[{i}]"] = ["Must be a meter of the site."];
            else if (m.Utility != master.Utility) errors[$"subMeterIds[{i}]"] = [$"Must be a {master.Utility} meter, like the master meter."];
        }
        if (errors.Count > 0) return Problems.Fields(errors);

        var threshold = r.ThresholdPct is null ? CircuitBalance.DefaultThresholdPct : ApiFormat.ParseDecimal(r.ThresholdPct);
        var name = r.Name?.Trim() ?? master.Serial;
        await using var tx = db.Dialect.BeginWrite(connection);
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("circuits",
            "site_id, name, utility, master_meter_id, threshold_pct, created_at_ms", "@SiteId, @name, @Utility, @MasterMeterId, @threshold, @nowMs"),
            new { r.SiteId, name, master.Utility, r.MasterMeterId, threshold = ApiFormat.Decimal(threshold), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        foreach (var meterId in r.SubMeterIds)
            await connection.ExecuteAsync("INSERT INTO circuit_meters (circuit_id, meter_id) VALUES (@id, @meterId)", new { id, meterId }, tx);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/circuits/{id}", new
        {
            id, siteId = r.SiteId, name, utility = master.Utility, masterMeterId = r.MasterMeterId, subMeterIds = r.SubMeterIds, thresholdPct = ApiFormat.Decimal(threshold),
        });
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null)
    {
        await using var connection = await db.OpenAsync(ct);
        var circuits = await connection.QueryAsync<(long Id, long SiteId, string Name, string Utility, long MasterMeterId, string ThresholdPct)>($"""
            SELECT id, site_id, name, utility, master_meter_id, threshold_pct FROM circuits
            WHERE deleted_at_ms IS NULL AND (@siteId IS NULL OR site_id = @siteId) AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")})
            ORDER BY id
            """, new { siteId, sites = user.SitesJson() });
        var result = new List<object>();
        foreach (var c in circuits) result.Add(await DescribeAsync(connection, c.Id, c.SiteId, c.Name, c.Utility, c.MasterMeterId, c.ThresholdPct));
        return TypedResults.Ok(result);
    }

    static async Task<IResult> Get(long circuitId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var c = await LoadAsync(connection, user, circuitId);
        if (c is null) return Problems.NotFound($"Circuit {circuitId}");
        return TypedResults.Ok(await DescribeAsync(connection, c.Id, c.SiteId, c.Name, c.Utility, c.MasterMeterId, c.ThresholdPct));
    }

    static async Task<object> DescribeAsync(DbConnection c, long id, long siteId, string name, string utility, long masterMeterId, string thresholdPct)
    {
        var subs = (await c.QueryAsync<long>("SELECT meter_id FROM circuit_meters WHERE circuit_id = @id ORDER BY meter_id", new { id })).ToList();
        var alarm = await c.QuerySingleOrDefaultAsync<(long Id, string Detail, long RaisedAtMs)?>(
            "SELECT id, detail, raised_at_ms FROM device_alarms WHERE circuit_id = @id AND kind = 'circuit' AND cleared_at_ms IS NULL", new { id });
        return new
        {
            id, siteId, name, utility, masterMeterId, subMeterIds = subs, thresholdPct,
            openAlarm = alarm is { } a ? new { id = a.Id, detail = a.Detail, raisedAt = DateTimeOffset.FromUnixTimeMilliseconds(a.RaisedAtMs) } : null,
        };
    }

    static async Task<IResult> Delete(long circuitId, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await LoadAsync(connection, user, circuitId) is null) return Problems.NotFound($"Circuit {circuitId}");
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = db.Dialect.BeginWrite(connection);
        await connection.ExecuteAsync("UPDATE circuits SET deleted_at_ms = @nowMs WHERE id = @circuitId", new { circuitId, nowMs }, tx);
        await connection.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE circuit_id = @circuitId AND cleared_at_ms IS NULL", new { circuitId, nowMs }, tx);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> Balance(long circuitId, ClaimsPrincipal user, Db db, CancellationToken ct,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? from = null,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? to = null,
        [Description("day or month (site-local)."), MaxLength(10)] string step = "day")
    {
        await using var connection = await db.OpenAsync(ct);
        var c = await LoadAsync(connection, user, circuitId);
        if (c is null) return Problems.NotFound($"Circuit {circuitId}");
        var zone = ApiFormat.Zone(c.TimeZone);
        var errors = new Dictionary<string, string[]>();
        var fromAt = ReportQuery.Parse(from, zone);
        var toAt = ReportQuery.Parse(to, zone);
        if (fromAt is null) errors["from"] = ["Must be a date (2026-11-01, in the site's zone) or an ISO 8601 instant with offset."];
        if (toAt is null) errors["to"] = ["Must be a date (2026-12-01, in the site's zone) or an ISO 8601 instant with offset."];
        if (step is not ("day" or "month")) errors["step"] = ["Must be day or month."];
        if (fromAt is not null && toAt is not null && toAt <= fromAt) (errors["from"], errors["to"]) = (["Must be before to."], ["Must be later than from."]);
        if (errors.Count > 0) return Problems.Fields(errors);
        var periods = CircuitBalance.Periods(fromAt!.Value, toAt!.Value, step == "day" ? BalanceStep.Day : BalanceStep.Month, zone);
        if (periods.Count > CircuitLimits.Periods) return Problems.Field("to", $"At most {CircuitLimits.Periods} periods per request.");

        var threshold = ApiFormat.ParseDecimal(c.ThresholdPct);
        var result = await ComputeAsync(connection, c.MasterMeterId, circuitId, periods, threshold);
        return TypedResults.Ok(result.Select(p => Row(p, zone)));
    }

    /// <summary>Each period's R32 verdict: the master's quantity against the sum of the sub-meters', no data if any meter has none.</summary>
    public static async Task<IReadOnlyList<CircuitPeriod>> ComputeAsync(DbConnection c, long masterMeterId, long circuitId,
        IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> periods, decimal thresholdPct)
    {
        var boundaries = periods.Select(p => p.From).Append(periods[^1].To).ToList();
        var master = await MeterSeries.AroundAsync(c, masterMeterId, boundaries);
        var subs = new List<IReadOnlyList<(DateTimeOffset, decimal)>>();
        foreach (var meterId in await c.QueryAsync<long>("SELECT meter_id FROM circuit_meters WHERE circuit_id = @circuitId ORDER BY meter_id", new { circuitId }))
            subs.Add(await MeterSeries.AroundAsync(c, meterId, boundaries));
        return [.. periods.Select(p =>
        {
            var m = PeriodQuantity.Of(master, p.From, p.To);
            decimal? sum = 0m;
            foreach (var s in subs) sum = PeriodQuantity.Of(s, p.From, p.To) is { } q && sum is { } acc ? acc + q : null;
            return CircuitBalance.Evaluate(p.From, p.To, m, sum, thresholdPct);
        })];
    }

    /// <summary>Quantities at the meters' resolution (a thousandth) and the percentage to two decimals, for people; the alarm is exact.</summary>
    static object Row(CircuitPeriod p, TimeZoneInfo zone) => new
    {
        from = ApiFormat.Instant(p.From.ToUnixTimeMilliseconds(), zone), to = ApiFormat.Instant(p.To.ToUnixTimeMilliseconds(), zone),
        master = Round(p.Master, 3), subs = Round(p.Subs, 3), imbalance = Round(p.Imbalance, 3), imbalancePct = Round(p.ImbalancePct, 2),
        alarm = p.Alarm, noData = p.NoData,
    };

    static string? Round(decimal? value, int decimals) =>
        value is { } v ? decimal.Round(v, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, CultureInfo.InvariantCulture) : null;
}
