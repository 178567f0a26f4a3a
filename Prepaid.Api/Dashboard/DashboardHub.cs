using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Prepaid.Api.Auth;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The live dashboard. It only manages groups; pushes go through <see cref="IDashboardPublisher"/>.
/// Staff call WatchSite for the sites they look at (checked against their scope); a tenant is put in their own
/// tenant group on connecting and gets their accounts' changes only.
/// </summary>
[Authorize]
public sealed class DashboardHub : Hub<IDashboardClient>
{
    public static string SiteGroup(long siteId) => $"site:{siteId}";
    public static string TenantGroup(long tenantId) => $"tenant:{tenantId}";

    public override async Task OnConnectedAsync()
    {
        if (Context.User is { } user && user.IsTenant() && user.TenantId() is { } tenantId)
            await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenantId));
        await base.OnConnectedAsync();
    }

    /// <summary>Receive a site's grid, account, command, batch and alarm events. Outside the caller's scope: "not found".</summary>
    public async Task WatchSite(long siteId)
    {
        var user = Context.User!;
        if (user.IsTenant() || !user.MaySee(siteId)) throw new HubException($"Site {siteId} was not found.");
        await Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId));
    }

    public Task UnwatchSite(long siteId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId));
}
