using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The live dashboard. It only manages groups; pushes go through <see cref="IDashboardPublisher"/>.
/// Staff call WatchSite for the sites they look at (checked against their scope); a tenant is put in their own
/// tenant group on connecting and gets their accounts' changes only. Every connection is registered in
/// <see cref="HubConnections"/>, which closes it when its session is revoked.
/// </summary>
[Authorize]
public sealed class DashboardHub(HubConnections connections, Db db, TimeProvider time) : Hub<IDashboardClient>
{
    public static string SiteGroup(long siteId) => $"site:{siteId}";
    public static string TenantGroup(long tenantId) => $"tenant:{tenantId}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var tokenHash = user.TokenHash();
        connections.Connected(Context, user.Id(), tokenHash, user.TokenExpiresAt());
        // A revocation between the token check and the line above found nothing to close: look again now that it would.
        bool live;
        await using (var connection = await db.OpenAsync(Context.ConnectionAborted))
            live = await TokenAuthentication.IsLiveAsync(connection, tokenHash, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!live)
        {
            connections.Disconnected(Context.ConnectionId);
            Context.Abort();
            return;
        }
        if (user.IsTenant() && user.TenantId() is { } tenantId)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenantId));
            connections.Joined(Context.ConnectionId, TenantGroup(tenantId));
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Receive a site's grid, account, command, batch and alarm events. Outside the caller's scope: "not found".</summary>
    public async Task WatchSite(long siteId)
    {
        var user = Context.User!;
        if (user.IsTenant() || !user.MaySee(siteId)) throw new HubException($"Site {siteId} was not found.");
        await Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId));
        connections.Joined(Context.ConnectionId, SiteGroup(siteId));
    }

    public async Task UnwatchSite(long siteId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId));
        connections.Left(Context.ConnectionId, SiteGroup(siteId));
    }
}
