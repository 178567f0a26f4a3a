using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Helpdesk;

/// <summary>
/// The staff's side of the helpdesk (<c>/api/requests</c>), scoped to the caller's sites like everything else: everyone
/// on the staff reads; admins, operators and cashiers comment (a cashier is where a tenant asks at the counter); admins
/// and operators assign, close and reopen. Auditors read only.
/// </summary>
public static class StaffRequestsApi
{
    public static void MapStaffRequests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/requests").WithTags("Helpdesk");
        group.MapGet("", List).RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("Requests of the caller's sites, newest first: filter by siteId, state (open, assigned, closed), category and assignee");
        group.MapGet("/assignees", Assignees).RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("Who a request of the site can be assigned to: enabled admins and the site's operators");
        group.MapGet("/{requestId:long}", Get).RequireAuthorization(Roles.Staff)
            .WithSummary("One request with every comment (internal ones marked) and every state change with who and when");
        group.MapGet("/{requestId:long}/photo", Photo).RequireAuthorization(Roles.Staff).WithSummary("The request's photo");
        group.MapPost("/{requestId:long}/assign", Assign).RequireAuthorization(Roles.Manage).Validate<AssignBody, AssignValidator>()
            .WithSummary("Assign (or reassign) an open request to an admin or an operator of its site");
        group.MapPost("/{requestId:long}/comments", Comment).RequireAuthorization(Roles.Cash).Validate<CommentBody, CommentValidator>()
            .WithSummary("Add a comment; internal: true keeps it from the tenant");
        group.MapPost("/{requestId:long}/close", Close).RequireAuthorization(Roles.Manage).Validate<NoteBody, NoteValidator>(bodyOptional: true)
            .WithSummary("Close the request; the note, if any, is a reply the tenant sees");
        group.MapPost("/{requestId:long}/reopen", Reopen).RequireAuthorization(Roles.Manage).Validate<NoteBody, NoteValidator>(bodyOptional: true)
            .WithSummary("Reopen a closed request: back to its assignee, or open with nobody assigned");
    }

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null,
        [Description("open, assigned or closed."), RegularExpression(HelpdeskRules.StatePattern)] string? state = null,
        [Description("supplyOutage, meterFault, billingQuestion, leak or other."), RegularExpression(HelpdeskRules.CategoryPattern)] string? category = null,
        [Description("The assignee's user id.")] long? assignee = null,
        [Range(1, 500)] int limit = 100, [Range(0, 1_000_000)] int offset = 0)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<RequestStore.RequestRow>(db.Dialect.Page(RequestStore.Select + $"""
             WHERE (@siteId IS NULL OR r.site_id = @siteId) AND (@sites IS NULL OR r.site_id IN {db.Dialect.IdsFromJson("@sites")})
               AND (@state IS NULL OR r.state = @state) AND (@category IS NULL OR r.category = @category)
               AND (@assignee IS NULL OR r.assignee_user_id = @assignee)
             ORDER BY r.id DESC
            """, "@offset", "@limit"), new { siteId, sites = user.SitesJson(), state, category, assignee, offset, limit });
        return TypedResults.Ok(rows.Select(RequestStore.StaffShape));
    }

    static async Task<IResult> Assignees(ClaimsPrincipal user, Db db, CancellationToken ct, long siteId)
    {
        if (!user.MaySee(siteId)) return Problems.NotFound($"Site {siteId}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Username, string Role)>(AssigneesSql + " ORDER BY u.role, u.username", new { siteId });
        return TypedResults.Ok(rows.Select(u => new { id = u.Id, username = u.Username, role = u.Role }));
    }

    const string AssigneesSql = """
        SELECT u.id, u.username, u.role FROM users u
        WHERE u.disabled = 0 AND (u.role = 'admin' OR (u.role = 'operator' AND EXISTS (SELECT 1 FROM user_sites us WHERE us.user_id = u.id AND us.site_id = @siteId)))
        """;

    static async Task<IResult> Get(long requestId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await RequestStore.LoadAsync(connection, requestId);
        if (row is null || !user.MaySee(row.SiteId)) return Problems.NotFound($"Service request {requestId}");
        return TypedResults.Ok(await DetailAsync(connection, row));
    }

    static async Task<object> DetailAsync(DbConnection connection, RequestStore.RequestRow row, DbTransaction? tx = null) =>
        RequestStore.StaffDetail(row, await RequestStore.CommentsAsync(connection, row.Id, withInternal: true, tx), await RequestStore.EventsAsync(connection, row.Id, tx));

    static async Task<IResult> Photo(long requestId, ClaimsPrincipal user, Db db, HttpResponse response, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM helpdesk_requests WHERE id = @requestId", new { requestId });
        if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Service request {requestId}");
        return await PhotoAnswerAsync(connection, requestId, response);
    }

    /// <summary>
    /// The photo with the type its bytes showed when it was filed, inline under a fixed name (nothing the tenant typed), never
    /// sniffed (nosniff is on every answer) and never kept by a shared cache.
    /// </summary>
    public static async Task<IResult> PhotoAnswerAsync(DbConnection connection, long requestId, HttpResponse response)
    {
        var photo = await connection.QuerySingleOrDefaultAsync<(string ContentType, byte[] Bytes)?>(
            "SELECT content_type, bytes FROM helpdesk_photos WHERE request_id = @requestId", new { requestId });
        if (photo is not { } p) return Problems.NotFound($"The photo of service request {requestId}");
        var headers = response.GetTypedHeaders();
        headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline") { FileName = $"\"request-{requestId}.{Photos.Extension(p.ContentType)}\"" };
        headers.CacheControl = new Microsoft.Net.Http.Headers.CacheControlHeaderValue { Private = true, NoStore = true };
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(p.Bytes, p.ContentType);
    }

    /// <summary>The request inside the write, or why the caller may not touch it (404 outside their sites).</summary>
    static async Task<RequestStore.RequestRow?> ScopedAsync(DbConnection connection, DbTransaction tx, long requestId, ClaimsPrincipal user) =>
        await RequestStore.LoadAsync(connection, requestId, tx) is { } row && user.MaySee(row.SiteId) ? row : null;

    static async Task<IResult> Assign(long requestId, AssignBody r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            if (await ScopedAsync(connection, tx, requestId, user) is not { } row) return (Problems.NotFound($"Service request {requestId}"), false);
            if (row.State == HelpdeskRules.Closed) return (Problems.Conflict("The request is closed: reopen it first."), false);
            var ok = await connection.ExecuteScalarAsync<long?>(AssigneesSql + " AND u.id = @userId", new { siteId = row.SiteId, userId = r.UserId }, tx);
            if (ok is null) return (Problems.Field("userId", "Must be an enabled admin or an operator of the request's site."), false);
            if (row.State == HelpdeskRules.Assigned && row.AssigneeUserId == r.UserId) return (TypedResults.Ok(await DetailAsync(connection, row, tx)), false);
            await connection.ExecuteAsync("UPDATE helpdesk_requests SET state = @state, assignee_user_id = @userId, updated_at_ms = @nowMs WHERE id = @requestId",
                new { state = HelpdeskRules.Assigned, userId = r.UserId, nowMs, requestId }, tx);
            await RequestStore.EventAsync(connection, tx, requestId, "assigned", user.Id(), nowMs, r.UserId);
            return (TypedResults.Ok(await DetailAsync(connection, (await RequestStore.LoadAsync(connection, requestId, tx))!, tx)), true);
        }, ct);
    }

    static async Task<IResult> Comment(long requestId, CommentBody r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            if (await ScopedAsync(connection, tx, requestId, user) is not { } row) return (Problems.NotFound($"Service request {requestId}"), false);
            await RequestStore.CommentAsync(connection, tx, requestId, user.Id(), byTenant: false, r.Internal ?? false, r.Text!, nowMs);
            return (TypedResults.Created($"/api/requests/{requestId}", await DetailAsync(connection, (await RequestStore.LoadAsync(connection, requestId, tx))!, tx)), true);
        }, ct);
    }

    static async Task<IResult> Close(long requestId, NoteBody? r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            if (await ScopedAsync(connection, tx, requestId, user) is not { } row) return (Problems.NotFound($"Service request {requestId}"), false);
            if (row.State == HelpdeskRules.Closed) return (Problems.Conflict("The request is closed already."), false);
            if (r?.Note is { } note) await RequestStore.CommentAsync(connection, tx, requestId, user.Id(), byTenant: false, @internal: false, note, nowMs);
            await connection.ExecuteAsync("UPDATE helpdesk_requests SET state = @state, closed_at_ms = @nowMs, updated_at_ms = @nowMs WHERE id = @requestId",
                new { state = HelpdeskRules.Closed, nowMs, requestId }, tx);
            await RequestStore.EventAsync(connection, tx, requestId, "closed", user.Id(), nowMs);
            return (TypedResults.Ok(await DetailAsync(connection, (await RequestStore.LoadAsync(connection, requestId, tx))!, tx)), true);
        }, ct);
    }

    static async Task<IResult> Reopen(long requestId, NoteBody? r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await RequestStore.WriteAsync(db, async (connection, tx) =>
        {
            if (await ScopedAsync(connection, tx, requestId, user) is not { } row) return (Problems.NotFound($"Service request {requestId}"), false);
            if (row.State != HelpdeskRules.Closed) return (Problems.Conflict("The request is not closed."), false);
            await RequestStore.ReopenAsync(connection, tx, row, user.Id(), nowMs);
            if (r?.Note is { } note) await RequestStore.CommentAsync(connection, tx, requestId, user.Id(), byTenant: false, @internal: false, note, nowMs);
            return (TypedResults.Ok(await DetailAsync(connection, (await RequestStore.LoadAsync(connection, requestId, tx))!, tx)), true);
        }, ct);
    }
}
