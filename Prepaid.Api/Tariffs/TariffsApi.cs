using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Tariffs;

public static class TariffsApi
{
    public static void MapTariffs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tariffs").WithTags("Tariffs");
        group.MapPost("/", Create).Validate<CreateTariffRequest, CreateTariffValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/", List).RequireAuthorization(Roles.Staff);
        group.MapGet("/{tariffId:long}", Get).RequireAuthorization(Roles.Staff);
        group.MapPost("/{tariffId:long}/versions", AddVersion).Validate<AddVersionRequest, AddVersionValidator>().RequireAuthorization(Roles.Manage);
    }

    static async Task<IResult> Create(CreateTariffRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var allowAboveCap = user.MaySee(r.SiteId)
            ? await connection.ExecuteScalarAsync<long?>("SELECT allow_above_cap FROM sites WHERE id = @SiteId", new { r.SiteId })
            : null;
        if (allowAboveCap is null) return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        ApiFormat.TryUtility(r.Utility, out var utility);
        decimal? catalog = r.CatalogPrice is null ? null : ApiFormat.ParseDecimal(r.CatalogPrice);
        var check = Check(TariffMapping.ToEngine(utility, r.Versions!), catalog, allowAboveCap == 1, r.Versions!);
        if (check.Refusal is not null) return check.Refusal;

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var sorted = r.Versions!.OrderBy(v => ApiFormat.Instant(v.EffectiveFrom!)).ToList();
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tariffs",
            "site_id, name, utility, catalog_price, versions_json, cap_warning, created_at_ms",
            "@SiteId, @Name, @Utility, @CatalogPrice, @json, @warning, @nowMs"),
            new { r.SiteId, r.Name, r.Utility, r.CatalogPrice, json = TariffMapping.Serialize(sorted), warning = check.Warning, nowMs });
        return TypedResults.Created($"/api/tariffs/{id}", await LoadAsync(connection, id));
    }

    /// <summary>
    /// A new version applies from its effective instant, which may not lie in the past or before the last
    /// version: prices never apply backwards (R12).
    /// </summary>
    static async Task<IResult> AddVersion(long tariffId, AddVersionRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Utility, string? CatalogPrice, string VersionsJson, long AllowAboveCap, string TimeZone, long SiteId)>(
            "SELECT t.id, t.utility, t.catalog_price, t.versions_json, s.allow_above_cap, s.time_zone, t.site_id FROM tariffs t JOIN sites s ON s.id = t.site_id WHERE t.id = @tariffId",
            new { tariffId });
        if (row.Id == 0 || !user.MaySee(row.SiteId)) return Problems.NotFound($"Tariff {tariffId}");
        var versions = TariffMapping.Deserialize(row.VersionsJson);
        var from = ApiFormat.Instant(r.Version!.EffectiveFrom!);
        if (from < time.GetUtcNow())
            return Problems.Field("version.effectiveFrom", "A price change cannot take effect in the past.", StatusCodes.Status422UnprocessableEntity, "Prices never apply backwards.");
        if (versions.Any(v => ApiFormat.Instant(v.EffectiveFrom!) >= from))
            return Problems.Field("version.effectiveFrom", "Must be later than every existing version.", StatusCodes.Status422UnprocessableEntity, "Prices never apply backwards.");
        versions.Add(r.Version);
        ApiFormat.TryUtility(row.Utility, out var utility);
        var check = Check(TariffMapping.ToEngine(utility, versions), row.CatalogPrice is null ? null : ApiFormat.ParseDecimal(row.CatalogPrice),
            row.AllowAboveCap == 1, versions, fieldPrefixForLast: "version");
        if (check.Refusal is not null) return check.Refusal;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var tx = db.Dialect.BeginWrite(connection);
            await connection.ExecuteAsync("UPDATE tariffs SET versions_json = @json, cap_warning = COALESCE(@warning, cap_warning) WHERE id = @tariffId",
                new { json = TariffMapping.Serialize(versions), warning = check.Warning, tariffId }, tx);
            if (r.Version.Kind == "tiered" && versions.Count(v => v.Kind == "tiered") == 1)
                await TierUsageRebuild.RunAsync(connection, tx, db.Dialect, tariffId, ApiFormat.Zone(row.TimeZone), time.GetUtcNow());
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        return TypedResults.Ok(await LoadAsync(connection, tariffId));
    }

    /// <summary>Runs the engine's tariff rules: shape problems are 400, the price cap (R17) 422 unless the site accepts it with a warning.</summary>
    static (IResult? Refusal, string? Warning) Check(Tariff tariff, decimal? catalog, bool allowAboveCap, List<TariffVersionDto> versions, string? fieldPrefixForLast = null)
    {
        var problems = TariffRules.Validate(tariff, catalog);
        // The engine names fields by the sorted version index; map back to the order the client sent.
        var sortedIndex = versions.Select((v, i) => (v, i)).OrderBy(x => ApiFormat.Instant(x.v.EffectiveFrom!)).Select(x => x.i).ToList();
        string Rename(string field)
        {
            var m = System.Text.RegularExpressions.Regex.Match(field, @"^versions\[(\d+)\](.*)$");
            if (!m.Success) return field;
            var original = sortedIndex[int.Parse(m.Groups[1].Value)];
            return fieldPrefixForLast is not null && original == versions.Count - 1
                ? fieldPrefixForLast + m.Groups[2].Value
                : $"versions[{original}]{m.Groups[2].Value}";
        }
        var shape = problems.Where(p => !p.IsPriceCap).ToList();
        if (shape.Count > 0)
            return (Problems.Fields(shape.GroupBy(p => Rename(p.Field)).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray())), null);
        var cap = problems.Where(p => p.IsPriceCap).ToList();
        if (cap.Count == 0) return (null, null);
        if (allowAboveCap) return (null, string.Join("; ", cap.Select(p => $"{Rename(p.Field)}: {p.Reason}")));
        return (Problems.Fields(cap.GroupBy(p => Rename(p.Field)).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray()),
            StatusCodes.Status422UnprocessableEntity, "A price exceeds the cap of catalogue price × 1.15 (R17)."), null);
    }

    static async Task<IResult> List(long? siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(
            $"SELECT id FROM tariffs WHERE (@siteId IS NULL OR site_id = @siteId) AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY id",
            new { siteId, sites = user.SitesJson() });
        var list = new List<object>();
        foreach (var id in ids) list.Add((await LoadAsync(connection, id))!);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> Get(long tariffId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM tariffs WHERE id = @tariffId", new { tariffId });
        if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Tariff {tariffId}");
        return await LoadAsync(connection, tariffId) is { } t ? TypedResults.Ok(t) : Problems.NotFound($"Tariff {tariffId}");
    }

    static async Task<object?> LoadAsync(DbConnection connection, long id)
    {
        var t = await connection.QuerySingleOrDefaultAsync<(long Id, long SiteId, string Name, string Utility, string? CatalogPrice, string VersionsJson, string? CapWarning)>(
            "SELECT id, site_id, name, utility, catalog_price, versions_json, cap_warning FROM tariffs WHERE id = @id", new { id });
        if (t.Id == 0) return null;
        return new
        {
            id = t.Id, siteId = t.SiteId, name = t.Name, utility = t.Utility, catalogPrice = t.CatalogPrice,
            versions = TariffMapping.Deserialize(t.VersionsJson), capWarning = t.CapWarning,
        };
    }
}
