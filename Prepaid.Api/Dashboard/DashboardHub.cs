using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;
using Prepaid.Api.Localization;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The live dashboard. It only manages groups; pushes go through <see cref="IDashboardPublisher"/>, command states
/// through <see cref="CommandEventFollower"/> (to this node's members of a site's language group).
/// Staff call WatchSite for the sites they look at (checked against their scope); a tenant is put in their own
/// tenant group on connecting and gets their accounts' changes only. Every connection is registered in
/// <see cref="HubConnections"/>, which closes it when its session is revoked.
/// </summary>
[Authorize]
public sealed class DashboardHub(HubConnections connections, Db db, TimeProvider time) : Hub<IDashboardClient>
{
    public static string SiteGroup(long siteId) => $"site:{siteId}";

    /// <summary>Events that carry text (alarms, command outcomes, batch progress) go to a site's group per language.</summary>
    public static string SiteGroup(long siteId, string language) => $"site:{siteId}:{language}";

    public static readonly string[] Languages = [Catalog.Chinese.Name, Catalog.English.Name];

    const string LanguageKey = "language";

    /// <summary>The connection's language: its connect request's <c>lang</c> or Accept-Language, until SetLanguage.</summary>
    string Language
    {
        get => Context.Items.TryGetValue(LanguageKey, out var l) && l is string s ? s
            : Context.GetHttpContext() is { } http && Catalog.IsChinese(LocalizationSetup.CultureOf(http)) ? Catalog.Chinese.Name : Catalog.English.Name;
        set => Context.Items[LanguageKey] = value;
    }

    HashSet<long> Watched => Context.Items.TryGetValue("sites", out var w) && w is HashSet<long> set ? set : (HashSet<long>)(Context.Items["sites"] = new HashSet<long>());
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
        await Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId, Language));
        connections.Joined(Context.ConnectionId, SiteGroup(siteId, Language));
        lock (Watched) Watched.Add(siteId);
    }

    /// <summary>The language the page switched to (zh-CN or en): the text of later events follows it.</summary>
    public async Task SetLanguage(string language)
    {
        var next = Catalog.IsChinese(System.Globalization.CultureInfo.GetCultureInfo(Languages.Contains(language) ? language : "en")) ? Catalog.Chinese.Name : Catalog.English.Name;
        var before = Language;
        Language = next;
        if (before == next) return;
        long[] sites;
        lock (Watched) sites = [.. Watched];
        foreach (var siteId in sites)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId, before));
            connections.Left(Context.ConnectionId, SiteGroup(siteId, before));
            await Groups.AddToGroupAsync(Context.ConnectionId, SiteGroup(siteId, next));
            connections.Joined(Context.ConnectionId, SiteGroup(siteId, next));
        }
    }

    public async Task UnwatchSite(long siteId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId));
        connections.Left(Context.ConnectionId, SiteGroup(siteId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SiteGroup(siteId, Language));
        connections.Left(Context.ConnectionId, SiteGroup(siteId, Language));
        lock (Watched) Watched.Remove(siteId);
    }
}
