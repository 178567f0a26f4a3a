using System.Text.Json;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Apportionments;

public static class ApportionmentsApi
{
    public static void MapApportionments(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/apportionments").WithTags("Apportionments");
        group.MapPost("/", CreateRule).Validate<CreateRuleRequest, CreateRuleValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/", ListRules).RequireAuthorization(Roles.Staff);
        group.MapPost("/{ruleId:long}/runs", async (long ruleId, RunRequest r, ClaimsPrincipal user, Db db, ApportionmentRunner runner, CancellationToken ct) =>
                await RuleVisibleAsync(db, user, ruleId, ct) ? await runner.RunAsync(ruleId, r, ct) : Problems.NotFound($"Apportionment rule {ruleId}"))
            .Validate<RunRequest, RunValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Apportion the master meter's priced consumption over [from, to) (R18, R19); running the same period twice posts nothing (R20)");
        group.MapGet("/{ruleId:long}/runs", ListRuns).RequireAuthorization(Roles.Staff);
    }

    /// <summary>A rule outside the user's sites answers 404, like one that does not exist.</summary>
    static async Task<bool> RuleVisibleAsync(Db db, ClaimsPrincipal user, long ruleId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM apportionment_rules WHERE id = @ruleId", new { ruleId });
        return siteId is not null && user.MaySee(siteId.Value);
    }

    static async Task<IResult> CreateRule(CreateRuleRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(r.SiteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", new { r.SiteId }) == 0)
            return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        var master = await connection.QuerySingleOrDefaultAsync<(long Id, long SiteId, string Utility, long? TariffId)>(
            "SELECT id, site_id, utility, tariff_id FROM meters WHERE id = @MasterMeterId", new { r.MasterMeterId });
        if (master.Id == 0 || master.SiteId != r.SiteId) return Problems.Field("masterMeterId", "Must be a meter of the site.");
        var tariffId = r.TariffId ?? master.TariffId;
        if (tariffId is null) return Problems.Field("tariffId", "The master meter has no tariff: give one here or on the meter.");
        if (await connection.ExecuteScalarAsync<string?>("SELECT utility FROM tariffs WHERE id = @tariffId AND site_id = @SiteId", new { tariffId, r.SiteId }) != master.Utility)
            return Problems.Field("tariffId", $"Must be a {master.Utility} tariff of the site.");

        var accounts = (await connection.QueryAsync<(long Id, long SiteId, long? ClosedAtMs, long? AreaCm2)>(
            $"""
            SELECT a.id, a.site_id, a.closed_at_ms, rm.area_cm2 FROM accounts a LEFT JOIN rooms rm ON rm.id = a.room_id
            WHERE a.id IN {db.Dialect.IdsFromJson("@ids")}
            """, new { ids = JsonSerializer.Serialize(r.Shares!.Select(s => s.AccountId)) })).ToDictionary(a => a.Id);
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < r.Shares!.Count; i++)
        {
            var s = r.Shares[i];
            if (!accounts.TryGetValue(s.AccountId, out var a) || a.SiteId != r.SiteId) errors[$"shares[{i}].accountId"] = ["Must be an account of the site."];
            else if (a.ClosedAtMs is not null) errors[$"shares[{i}].accountId"] = ["The account is closed."];
            else if (r.Method == "area" && (a.AreaCm2 ?? 0) <= 0) errors[$"shares[{i}].accountId"] = ["The area method needs the account's room with a floor area."];
        }
        if (errors.Count > 0) return Problems.Fields(errors);

        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("apportionment_rules",
            "site_id, master_meter_id, tariff_id, kind, method, shares_json, created_at_ms",
            "@SiteId, @MasterMeterId, @tariffId, @Kind, @Method, @shares, @nowMs"),
            new { r.SiteId, r.MasterMeterId, tariffId, r.Kind, r.Method, shares = JsonSerializer.Serialize(r.Shares, JsonSerializerOptions.Web), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return TypedResults.Created($"/api/apportionments/{id}", new { id, siteId = r.SiteId, masterMeterId = r.MasterMeterId, tariffId, kind = r.Kind, method = r.Method, shares = r.Shares });
    }

    static async Task<IResult> ListRules(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long SiteId, long MasterMeterId, long TariffId, string Kind, string Method, string SharesJson)>(
            $"""
            SELECT id, site_id, master_meter_id, tariff_id, kind, method, shares_json FROM apportionment_rules
            WHERE (@siteId IS NULL OR site_id = @siteId) AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY id
            """,
            new { siteId, sites = user.SitesJson() });
        return TypedResults.Ok(rows.Select(r => new
        {
            id = r.Id, siteId = r.SiteId, masterMeterId = r.MasterMeterId, tariffId = r.TariffId, kind = r.Kind, method = r.Method,
            // Read case-insensitively: rules stored before shares were written in camelCase hold "AccountId".
            shares = JsonSerializer.Deserialize<List<ShareDto>>(r.SharesJson, JsonSerializerOptions.Web),
        }));
    }

    static async Task<IResult> ListRuns(long ruleId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        if (!await RuleVisibleAsync(db, user, ruleId, ct)) return Problems.NotFound($"Apportionment rule {ruleId}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long FromMs, long ToMs, string ResultJson, string TimeZone)>("""
            SELECT r.from_ms, r.to_ms, r.result_json, s.time_zone FROM apportionment_runs r
            JOIN apportionment_rules a ON a.id = r.rule_id JOIN sites s ON s.id = a.site_id
            WHERE r.rule_id = @ruleId ORDER BY r.from_ms DESC
            """, new { ruleId });
        // Periods in the site's zone, also for runs stored with the offset their request used.
        return TypedResults.Ok(rows.Select(r =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(r.ResultJson)!;
            node["from"] = ApiFormat.Instant(r.FromMs, ApiFormat.Zone(r.TimeZone));
            node["to"] = ApiFormat.Instant(r.ToMs, ApiFormat.Zone(r.TimeZone));
            return node;
        }));
    }
}
