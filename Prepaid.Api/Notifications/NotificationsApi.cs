using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Notifications;

/// <summary>
/// The staff's view of the messages to tenants, newest first: what was told to whom, on which channel, and how far it
/// got. Scoped like every list: a site-scoped user sees the messages of their sites' accounts only. Instants in the
/// account's site zone.
/// </summary>
public static class NotificationsApi
{
    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notifications", List).WithTags("Notifications").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("The site's notification messages, newest first: state (quiet, pending, sent, failed), kind, channel, tenantId");
    }

    sealed record Row(long Id, long TenantId, string TenantName, long AccountId, long SiteId, string TimeZone, string Kind, string Channel, string Address,
        string State, long Attempts, long NotBeforeMs, long CreatedAtMs, long? SentAtMs, string? LastError);

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null,
        [Description("quiet (waiting for the tenant's quiet hours to end), pending, sent or failed."), RegularExpression("^(quiet|pending|sent|failed)$")] string? state = null,
        [Description("lowBalance1, lowBalance2, supplyCutSoon, supplyCut, supplyRestored, paymentReceived, leak, leakCleared, statementReady."),
         RegularExpression("^(lowBalance1|lowBalance2|supplyCutSoon|supplyCut|supplyRestored|paymentReceived|leak|leakCleared|statementReady)$")] string? kind = null,
        [Description("sms, wechat or email."), RegularExpression("^(sms|wechat|email)$")] string? channel = null,
        long? tenantId = null, [Range(0, int.MaxValue)] int offset = 0, [Range(1, 1000)] int limit = 200)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(db.Dialect.Page($"""
            SELECT n.id, n.tenant_id, t.name AS tenant_name, n.account_id, a.site_id, st.time_zone, n.kind, n.channel, n.address,
                   n.state, n.attempts, n.not_before_ms, n.created_at_ms, n.sent_at_ms, n.last_error
            FROM notifications n JOIN accounts a ON a.id = n.account_id JOIN sites st ON st.id = a.site_id JOIN tenants t ON t.id = n.tenant_id
            WHERE (@siteId IS NULL OR a.site_id = @siteId) AND (@state IS NULL OR n.state = @state) AND (@kind IS NULL OR n.kind = @kind)
              AND (@channel IS NULL OR n.channel = @channel) AND (@tenantId IS NULL OR n.tenant_id = @tenantId)
              AND (@sites IS NULL OR a.site_id IN {db.Dialect.IdsFromJson("@sites")})
            ORDER BY n.id DESC
            """, "@offset", "@limit"), new { siteId, state, kind, channel, tenantId, sites = user.SitesJson(), offset, limit });
        return TypedResults.Ok(rows.Select(n =>
        {
            var zone = ApiFormat.Zone(n.TimeZone);
            return new
            {
                id = n.Id, kind = n.Kind, tenantId = n.TenantId, tenant = n.TenantName, accountId = n.AccountId, siteId = n.SiteId,
                channel = n.Channel, address = n.Address, state = n.State, attempts = n.Attempts,
                createdAt = ApiFormat.Instant(n.CreatedAtMs, zone),
                // When it goes at the earliest: the end of the quiet hours, or the next retry; null once it went or was given up.
                notBefore = n.State is NotificationKinds.Pending or NotificationKinds.Quiet ? ApiFormat.Instant(n.NotBeforeMs, zone) : null,
                sentAt = n.SentAtMs is { } at ? ApiFormat.Instant(at, zone) : null,
                lastError = n.LastError,
            };
        }));
    }
}
