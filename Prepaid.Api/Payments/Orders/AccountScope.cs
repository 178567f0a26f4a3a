using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Payments.Orders;

/// <summary>
/// The account as the signed-in user may see it: a tenant only their own, operators and cashiers only their sites'
/// (anything else is "not found", as in AccountsApi), admins and auditors any.
/// </summary>
public sealed record AccountScope(long Id, long TenantId, TimeZoneInfo Zone, bool Closed)
{
    public static async Task<AccountScope?> FindAsync(Db db, ClaimsPrincipal user, long accountId, CancellationToken ct)
    {
        if (!user.IsTenant() && !Roles.All.Any(user.IsInRole)) return null;
        long? tenantScope = user.IsTenant() ? user.TenantId() ?? -1 : null;
        await using var connection = await db.OpenAsync(ct);
        if (!await Accounts.AccountsApi.VisibleAsync(connection, user, accountId)) return null;
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long TenantId, string TimeZone, long? ClosedAtMs)>("""
            SELECT a.id, a.tenant_id, s.time_zone, a.closed_at_ms FROM accounts a JOIN sites s ON s.id = a.site_id
            WHERE a.id = @accountId AND (@tenantScope IS NULL OR a.tenant_id = @tenantScope)
            """, new { accountId, tenantScope });
        return row.Id == 0 ? null : new AccountScope(row.Id, row.TenantId, ApiFormat.Zone(row.TimeZone), row.ClosedAtMs is not null);
    }
}
