using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Outbox;

/// <summary>
/// Read the outbox in order (after=&lt;last id seen&gt;), and mark entries consumed. The device layer consumes
/// switch requests whose notBefore has passed; a friendly cut-off window shows here as a later notBefore.
/// </summary>
public static class OutboxApi
{
    public static void MapOutbox(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/outbox").WithTags("Outbox").CheckParameters();
        group.MapGet("/", List).RequireAuthorization(Roles.Staff);
        group.MapPost("/{id:long}/consumed", Consume).RequireAuthorization(Roles.Manage);
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long after = 0, [MaxLength(Limits.QueryText)] string? kind = null,
        long? accountId = null, bool pendingOnly = false, [Range(1, 1000)] int limit = 100)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Kind, long SiteId, long? AccountId, long? MeterId, string PayloadJson, long NotBeforeMs, long CreatedAtMs, long? ConsumedAtMs)>(
            db.Dialect.Page($"""
                SELECT id, kind, site_id, account_id, meter_id, payload_json, not_before_ms, created_at_ms, consumed_at_ms
                FROM outbox
                WHERE id > @after AND (@kind IS NULL OR kind = @kind) AND (@accountId IS NULL OR account_id = @accountId)
                  AND (@pendingOnly = 0 OR consumed_at_ms IS NULL)
                  AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")})
                ORDER BY id
                """, "0", "@limit"),
            new { after, kind, accountId, pendingOnly = pendingOnly ? 1 : 0, sites = user.SitesJson(), limit = Math.Clamp(limit, 1, 1000) });
        return TypedResults.Ok(rows.Select(r => new
        {
            id = r.Id, kind = r.Kind, siteId = r.SiteId, accountId = r.AccountId, meterId = r.MeterId,
            payload = System.Text.Json.JsonDocument.Parse(r.PayloadJson).RootElement,
            notBefore = DateTimeOffset.FromUnixTimeMilliseconds(r.NotBeforeMs), createdAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
            consumedAt = r.ConsumedAtMs is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : (DateTimeOffset?)null,
        }));
    }

    static async Task<IResult> Consume(long id, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM outbox WHERE id = @id", new { id });
        if (siteId is null || !user.MaySee(siteId.Value)) return Common.Problems.NotFound($"Outbox entry {id}");
        var n = await connection.ExecuteAsync("UPDATE outbox SET consumed_at_ms = @nowMs WHERE id = @id AND consumed_at_ms IS NULL",
            new { id, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return n == 1 ? TypedResults.NoContent() : Common.Problems.Conflict($"Outbox entry {id} does not exist or was already consumed.");
    }
}
