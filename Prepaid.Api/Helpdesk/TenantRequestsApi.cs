using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Helpdesk;

/// <summary>
/// The tenant's own requests (<c>/api/me/requests</c>): file one from the phone page, follow its state and the staff's
/// replies, add a comment (a comment on a closed request reopens it). Another tenant's request answers 404.
/// </summary>
public static class TenantRequestsApi
{
    public static void MapTenantRequests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/requests").RequireAuthorization(p => p.RequireRole(Roles.Tenant)).WithTags("Helpdesk");
        group.MapPost("", File).Validate<FileRequestBody, FileRequestValidator>().RequireRateLimiting(HelpdeskSetup.FilingLimit)
            .WithSummary("File a request to the site's staff: category, text, optional account and photo (JPEG/PNG/WebP, base64, at most 5 MB)");
        group.MapGet("", List).WithSummary("The signed-in tenant's requests, newest first, with state and the number of staff replies");
        group.MapGet("/{requestId:long}", Get).WithSummary("One of the tenant's requests with the staff's replies (internal notes left out) and its state changes");
        group.MapGet("/{requestId:long}/photo", Photo).WithSummary("The photo of one of the tenant's requests");
        group.MapPost("/{requestId:long}/comments", Comment).Validate<TenantCommentBody, TenantCommentValidator>()
            .WithSummary("Add a comment to one of the tenant's requests; on a closed request it reopens it");
    }

    static async Task<IResult> File(FileRequestBody r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        byte[]? photo = null;
        string? photoType = null;
        if (r.Photo is not null)
        {
            var (bytes, type, problem) = Photos.Decode(r.Photo);
            if (problem is not null) return Problems.Field("photo", problem);
            (photo, photoType) = (bytes, type);
        }
        var tenantId = user.TenantId()!.Value;
        var userId = user.Id();
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            long siteId;
            if (r.AccountId is { } accountId)
            {
                var site = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM accounts WHERE id = @accountId AND tenant_id = @tenantId",
                    new { accountId, tenantId }, tx);
                if (site is null) return (Problems.NotFound($"Account {accountId}"), false);
                if (r.SiteId is { } named && named != site) return (Problems.Field("siteId", "Is not the account's site; leave it out or name the account's site."), false);
                siteId = site.Value;
            }
            else
            {
                var sites = (await connection.QueryAsync<long>("SELECT DISTINCT site_id FROM accounts WHERE tenant_id = @tenantId", new { tenantId }, tx)).ToList();
                if (r.SiteId is { } named)
                {
                    if (!sites.Contains(named)) return (Problems.NotFound($"Site {named}"), false);
                    siteId = named;
                }
                else if (sites.Count == 1) siteId = sites[0];
                else if (sites.Count == 0) return (Problems.Refused("siteId", "You have no account at any site yet.", "No site to send the request to."), false);
                else return (Problems.Field("siteId", "You have accounts at several sites: name the site or the account."), false);
            }
            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("helpdesk_requests",
                "site_id, tenant_id, account_id, category, body, state, assignee_user_id, created_by_user_id, created_at_ms, updated_at_ms, closed_at_ms",
                "@siteId, @tenantId, @AccountId, @Category, @Text, @state, NULL, @userId, @nowMs, @nowMs, NULL"),
                new { siteId, tenantId, r.AccountId, r.Category, r.Text, state = HelpdeskRules.Open, userId, nowMs }, tx);
            if (photo is not null)
                await connection.ExecuteAsync("INSERT INTO helpdesk_photos (request_id, content_type, bytes) VALUES (@id, @photoType, @photo)",
                    new { id, photoType, photo }, tx);
            await RequestStore.EventAsync(connection, tx, id, "filed", userId, nowMs);
            var row = (await RequestStore.LoadAsync(connection, id, tx))!;
            return (TypedResults.Created($"/api/me/requests/{id}", RequestStore.TenantShape(row)), true);
        }, ct);
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<RequestStore.RequestRow>(RequestStore.Select + " WHERE r.tenant_id = @tenantId ORDER BY r.id DESC",
            new { tenantId = user.TenantId()!.Value });
        return TypedResults.Ok(rows.Select(RequestStore.TenantShape));
    }

    static async Task<IResult> Get(long requestId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await RequestStore.LoadAsync(connection, requestId);
        if (row is null || row.TenantId != user.TenantId()) return Problems.NotFound($"Service request {requestId}");
        return TypedResults.Ok(RequestStore.TenantDetail(row, await RequestStore.CommentsAsync(connection, requestId, withInternal: false),
            await RequestStore.EventsAsync(connection, requestId)));
    }

    static async Task<IResult> Photo(long requestId, ClaimsPrincipal user, Db db, HttpResponse response, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var tenantId = await connection.ExecuteScalarAsync<long?>("SELECT tenant_id FROM helpdesk_requests WHERE id = @requestId", new { requestId });
        if (tenantId is null || tenantId != user.TenantId()) return Problems.NotFound($"Service request {requestId}");
        return await StaffRequestsApi.PhotoAnswerAsync(connection, requestId, response);
    }

    static async Task<IResult> Comment(long requestId, TenantCommentBody r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var userId = user.Id();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            var row = await RequestStore.LoadAsync(connection, requestId, tx);
            if (row is null || row.TenantId != user.TenantId()) return (Problems.NotFound($"Service request {requestId}"), false);
            // The tenant says it is not solved: the request goes back to whoever had it.
            if (row.State == HelpdeskRules.Closed) await RequestStore.ReopenAsync(connection, tx, row, userId, nowMs);
            await RequestStore.CommentAsync(connection, tx, requestId, userId, byTenant: true, @internal: false, r.Text!, nowMs);
            row = (await RequestStore.LoadAsync(connection, requestId, tx))!;
            return (TypedResults.Created($"/api/me/requests/{requestId}", RequestStore.TenantDetail(row,
                await RequestStore.CommentsAsync(connection, requestId, withInternal: false, tx), await RequestStore.EventsAsync(connection, requestId, tx))), true);
        }, ct);
    }
}
