using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Helpdesk;

/// <summary>
/// Reading requests, their comments and events, and writing a change with its event. Every time shown is in the request's
/// site zone. Staff see everything of a request; the tenant sees neither internal comments nor who on the staff did what.
/// </summary>
public static class RequestStore
{
    /// <summary>A class, not a positional record: Dapper converts the computed columns (whose type SQLite leaves open) into its properties.</summary>
    public sealed class RequestRow
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string SiteName { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public long TenantId { get; init; }
        public string TenantName { get; init; } = "";
        public long? AccountId { get; init; }
        public string Category { get; init; } = "";
        public string Body { get; init; } = "";
        public string State { get; init; } = "";
        public long? AssigneeUserId { get; init; }
        public string? AssigneeName { get; init; }
        public long CreatedAtMs { get; init; }
        public long UpdatedAtMs { get; init; }
        public long? ClosedAtMs { get; init; }
        public long HasPhoto { get; init; }
        public long Replies { get; init; }
    }

    public sealed record CommentRow(long Id, long UserId, string Username, long ByTenant, long Internal, string Body, long CreatedAtMs);

    public sealed record EventRow(long Id, string Kind, long UserId, string Username, string Role, long? AssigneeUserId, string? AssigneeName, long AtMs);

    // Replies: the staff's comments the tenant can read.
    public const string Select = """
        SELECT r.id, r.site_id, s.name AS site_name, s.time_zone, r.tenant_id, t.name AS tenant_name, r.account_id, r.category, r.body, r.state,
               r.assignee_user_id, u.username AS assignee_name, r.created_at_ms, r.updated_at_ms, r.closed_at_ms,
               CAST(CASE WHEN EXISTS (SELECT 1 FROM helpdesk_photos p WHERE p.request_id = r.id) THEN 1 ELSE 0 END AS BIGINT) AS has_photo,
               CAST((SELECT COUNT(*) FROM helpdesk_comments c WHERE c.request_id = r.id AND c.by_tenant = 0 AND c.internal = 0) AS BIGINT) AS replies
        FROM helpdesk_requests r JOIN sites s ON s.id = r.site_id JOIN tenants t ON t.id = r.tenant_id
        LEFT JOIN users u ON u.id = r.assignee_user_id
        """;

    /// <summary>
    /// One write in one transaction: <paramref name="work"/> reads what it decides on inside it and answers whether to commit, so a
    /// refusal found half way leaves nothing written.
    /// </summary>
    public static async Task<IResult> WriteAsync(Db db, Func<DbConnection, DbTransaction, Task<(IResult Answer, bool Commit)>> work, CancellationToken ct)
    {
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var (answer, commit) = await work(connection, tx);
            if (commit) await tx.CommitAsync(ct);
            return answer;
        }
        finally
        {
            db.WriteGate.Release();
        }
    }

    public static Task<RequestRow?> LoadAsync(DbConnection connection, long id, DbTransaction? tx = null) =>
        connection.QuerySingleOrDefaultAsync<RequestRow>(Select + " WHERE r.id = @id", new { id }, tx);

    public static async Task<List<CommentRow>> CommentsAsync(DbConnection connection, long requestId, bool withInternal, DbTransaction? tx = null) =>
        (await connection.QueryAsync<CommentRow>("""
            SELECT c.id, c.user_id, u.username, c.by_tenant, c.internal, c.body, c.created_at_ms
            FROM helpdesk_comments c JOIN users u ON u.id = c.user_id
            WHERE c.request_id = @requestId AND (@withInternal = 1 OR c.internal = 0)
            ORDER BY c.id
            """, new { requestId, withInternal = withInternal ? 1 : 0 }, tx)).ToList();

    public static async Task<List<EventRow>> EventsAsync(DbConnection connection, long requestId, DbTransaction? tx = null) =>
        (await connection.QueryAsync<EventRow>("""
            SELECT e.id, e.kind, e.user_id, u.username, u.role, e.assignee_user_id, a.username AS assignee_name, e.at_ms
            FROM helpdesk_events e JOIN users u ON u.id = e.user_id LEFT JOIN users a ON a.id = e.assignee_user_id
            WHERE e.request_id = @requestId
            ORDER BY e.id
            """, new { requestId }, tx)).ToList();

    public static Task EventAsync(DbConnection connection, DbTransaction tx, long requestId, string kind, long userId, long nowMs, long? assignee = null) =>
        connection.ExecuteAsync("""
            INSERT INTO helpdesk_events (request_id, kind, user_id, assignee_user_id, at_ms) VALUES (@requestId, @kind, @userId, @assignee, @nowMs)
            """, new { requestId, kind, userId, assignee, nowMs }, tx);

    public static async Task CommentAsync(DbConnection connection, DbTransaction tx, long requestId, long userId, bool byTenant, bool @internal, string text, long nowMs)
    {
        await connection.ExecuteAsync("""
            INSERT INTO helpdesk_comments (request_id, user_id, by_tenant, internal, body, created_at_ms) VALUES (@requestId, @userId, @byTenant, @isInternal, @text, @nowMs)
            """, new { requestId, userId, byTenant = byTenant ? 1 : 0, isInternal = @internal ? 1 : 0, text, nowMs }, tx);
        await connection.ExecuteAsync("UPDATE helpdesk_requests SET updated_at_ms = @nowMs WHERE id = @requestId", new { requestId, nowMs }, tx);
    }

    /// <summary>The state a reopened request goes back to: assigned if somebody still has it.</summary>
    public static string Reopened(RequestRow r) => r.AssigneeUserId is null ? HelpdeskRules.Open : HelpdeskRules.Assigned;

    public static async Task ReopenAsync(DbConnection connection, DbTransaction tx, RequestRow r, long userId, long nowMs)
    {
        await connection.ExecuteAsync("UPDATE helpdesk_requests SET state = @state, closed_at_ms = NULL, updated_at_ms = @nowMs WHERE id = @id",
            new { state = Reopened(r), nowMs, id = r.Id }, tx);
        await EventAsync(connection, tx, r.Id, "reopened", userId, nowMs);
    }

    public static object StaffShape(RequestRow r)
    {
        var zone = ApiFormat.Zone(r.TimeZone);
        return new
        {
            id = r.Id, siteId = r.SiteId, site = r.SiteName, tenant = new { id = r.TenantId, name = r.TenantName }, tenantId = r.TenantId, accountId = r.AccountId,
            category = r.Category, text = r.Body, state = r.State,
            assignee = r.AssigneeUserId is { } a ? new { id = a, username = r.AssigneeName } : null,
            hasPhoto = r.HasPhoto == 1, replies = r.Replies,
            createdAt = ApiFormat.Instant(r.CreatedAtMs, zone), updatedAt = ApiFormat.Instant(r.UpdatedAtMs, zone),
            closedAt = r.ClosedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
        };
    }

    public static object StaffDetail(RequestRow r, List<CommentRow> comments, List<EventRow> events)
    {
        var zone = ApiFormat.Zone(r.TimeZone);
        return new
        {
            request = StaffShape(r),
            comments = comments.Select(c => new
            {
                id = c.Id, text = c.Body, @internal = c.Internal == 1, fromTenant = c.ByTenant == 1, author = new { id = c.UserId, username = c.Username },
                at = ApiFormat.Instant(c.CreatedAtMs, zone),
            }),
            events = events.Select(e => new
            {
                kind = e.Kind, at = ApiFormat.Instant(e.AtMs, zone), by = new { id = e.UserId, username = e.Username, role = e.Role },
                assignee = e.AssigneeUserId is { } a ? new { id = a, username = e.AssigneeName } : null,
            }),
        };
    }

    public static object TenantShape(RequestRow r)
    {
        var zone = ApiFormat.Zone(r.TimeZone);
        return new
        {
            id = r.Id, siteId = r.SiteId, site = r.SiteName, accountId = r.AccountId, category = r.Category, text = r.Body, state = r.State,
            hasPhoto = r.HasPhoto == 1, replies = r.Replies,
            createdAt = ApiFormat.Instant(r.CreatedAtMs, zone), updatedAt = ApiFormat.Instant(r.UpdatedAtMs, zone),
            closedAt = r.ClosedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
        };
    }

    /// <summary>The tenant's view: no internal comment, and staff as "staff", never by name.</summary>
    public static object TenantDetail(RequestRow r, List<CommentRow> comments, List<EventRow> events)
    {
        var zone = ApiFormat.Zone(r.TimeZone);
        return new
        {
            request = TenantShape(r),
            comments = comments.Where(c => c.Internal == 0).Select(c => new { id = c.Id, text = c.Body, fromStaff = c.ByTenant == 0, at = ApiFormat.Instant(c.CreatedAtMs, zone) }),
            events = events.Select(e => new { kind = e.Kind, at = ApiFormat.Instant(e.AtMs, zone), byStaff = e.Role != Auth.Roles.Tenant }),
        };
    }
}
