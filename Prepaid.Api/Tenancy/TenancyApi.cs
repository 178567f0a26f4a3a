using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Tenancy;

/// <summary>Move-out (and move-in) of an account (R26), its receipt, and the tenancy calendar of a site's rooms.</summary>
public static class TenancyApi
{
    public static void MapTenancy(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts/{accountId:long}/close", Close).WithTags("Tenancy").Validate<CloseAccountRequest, CloseAccountValidator>()
            .RequireAuthorization(Roles.Manage)
            .WithSummary("Move-out at an instant: final readings billed, charges pro rata, deposit returned, balance refunded, paid in cash or carried as debt");
        app.MapGet("/api/accounts/{accountId:long}/closure", Closure).WithTags("Tenancy").RequireAuthorization()
            .WithSummary("How a closed account was settled: the move-out's answer and receipt");
        app.MapGet("/api/sites/{siteId:long}/tenancies", Calendar).WithTags("Tenancy").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("The tenancy calendar: per room, who held it from when to when");
    }

    static async Task<IResult> Close(long accountId, CloseAccountRequest r, ClaimsPrincipal user, Db db, AccountClosing closing, HttpContext http,
        CancellationToken ct)
    {
        await using (var check = await db.OpenAsync(ct))
            if (!await AccountsApi.VisibleAsync(check, user, accountId)) return Problems.NotFound($"Account {accountId}");
        return await closing.CloseAsync(accountId, r, user, http.RequestServices, ct);
    }

    static async Task<IResult> Closure(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var json = await connection.ExecuteScalarAsync<string?>("SELECT result_json FROM account_closures WHERE account_id = @accountId", new { accountId });
        return json is null ? Problems.NotFound($"The closure of account {accountId}") : TypedResults.Ok(JsonDocument.Parse(json).RootElement);
    }

    sealed record TenancyRow(long RoomId, string Code, string Name, long? AccountId, long? TenantId, string? TenantName, long? StartedAtMs, long? OpenedAtMs,
        long? ClosedAtMs, string? State);

    static async Task<IResult> Calendar(long siteId, ClaimsPrincipal user, Db db, CancellationToken ct, [Range(1, long.MaxValue)] long? roomId = null)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        var zoneId = await connection.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId });
        if (zoneId is null) return Problems.NotFound($"Site {siteId}");
        var zone = ApiFormat.Zone(zoneId);
        var rows = await connection.QueryAsync<TenancyRow>("""
            SELECT rm.id AS room_id, rm.code, rm.name, a.id AS account_id, t.id AS tenant_id, t.name AS tenant_name, a.started_at_ms, a.opened_at_ms,
                   a.closed_at_ms, a.state
            FROM rooms rm LEFT JOIN accounts a ON a.room_id = rm.id LEFT JOIN tenants t ON t.id = a.tenant_id
            WHERE rm.site_id = @siteId AND (@roomId IS NULL OR rm.id = @roomId)
            ORDER BY rm.code, COALESCE(a.started_at_ms, a.opened_at_ms), a.id
            """, new { siteId, roomId });
        return TypedResults.Ok(rows.GroupBy(x => (x.RoomId, x.Code, x.Name)).Select(g => new
        {
            roomId = g.Key.RoomId, code = g.Key.Code, name = g.Key.Name,
            tenancies = g.Where(x => x.AccountId is not null).Select(x => new
            {
                accountId = x.AccountId, tenantId = x.TenantId, tenantName = x.TenantName,
                from = ApiFormat.Instant(x.StartedAtMs ?? x.OpenedAtMs!.Value, zone), to = x.ClosedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
                state = x.ClosedAtMs is null ? x.State : "closed",
            }),
        }));
    }
}
