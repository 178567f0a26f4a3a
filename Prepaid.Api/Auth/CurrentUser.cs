using System.Security.Claims;

namespace Prepaid.Api.Auth;

public static class CurrentUser
{
    public static long Id(this ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    /// <summary>The tenant a tenant-role user is; null for operator-side roles.</summary>
    public static long? TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Roles.TenantClaim) is { } t ? long.Parse(t) : null;

    public static bool IsTenant(this ClaimsPrincipal user) => user.IsInRole(Roles.Tenant);

    /// <summary>The SHA-256 of the token this request or hub connection signed in with.</summary>
    public static string TokenHash(this ClaimsPrincipal user) => user.FindFirstValue(TokenAuthentication.TokenHashClaim)!;

    public static DateTimeOffset TokenExpiresAt(this ClaimsPrincipal user) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(user.FindFirstValue(TokenAuthentication.TokenExpiresClaim)!, System.Globalization.CultureInfo.InvariantCulture));
}
