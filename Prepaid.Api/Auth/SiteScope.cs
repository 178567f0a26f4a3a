using System.Security.Claims;
using System.Text.Json;

namespace Prepaid.Api.Auth;

/// <summary>
/// Which sites a signed-in user may see. Operators and cashiers are scoped to the sites assigned to them in
/// <c>user_sites</c> (read once per request by <see cref="TokenAuthentication"/> into a claim); admins and auditors
/// see every site. Anything outside the scope answers 404, like an id that does not exist: ids reveal nothing.
/// </summary>
public static class SiteScope
{
    public const string SitesClaim = "prepaid:sites";

    /// <summary>Operators and cashiers work for given sites only.</summary>
    public static bool IsSiteScoped(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Cashier);

    /// <summary>The sites the user may see; null means every site.</summary>
    public static IReadOnlySet<long>? Sites(this ClaimsPrincipal user)
    {
        if (!user.IsSiteScoped()) return null;
        var text = user.FindFirstValue(SitesClaim);
        return string.IsNullOrEmpty(text) ? new HashSet<long>() : text.Split(',').Select(long.Parse).ToHashSet();
    }

    public static bool MaySee(this ClaimsPrincipal user, long siteId) => user.Sites() is not { } sites || sites.Contains(siteId);

    /// <summary>
    /// The scope as a SQL parameter for <c>(@sites IS NULL OR site_id IN (ids from json))</c>: null for every site,
    /// a JSON array otherwise (an empty array matches nothing).
    /// </summary>
    public static string? SitesJson(this ClaimsPrincipal user) => user.Sites() is { } sites ? JsonSerializer.Serialize(sites) : null;
}
