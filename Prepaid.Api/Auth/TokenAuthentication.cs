using System.Data.Common;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Prepaid.Api.Data;

namespace Prepaid.Api.Auth;

/// <summary>
/// Opaque bearer tokens issued by POST /api/auth/token; only their SHA-256 is stored, so a leaked
/// database does not leak sessions. The browser app may send the same token as the `prepaid_token` cookie.
/// Every request looks its token up (nothing is cached), so a deleted row or a disabled user ends the session at once.
/// </summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Db db, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string Cookie = "prepaid_token";

    /// <summary>The token's hash travels with the user, so a logout or a password change knows which session is asking.</summary>
    public const string TokenHashClaim = "prepaid:token";

    /// <summary>When the token expires (Unix ms): a hub connection opened with it is closed then.</summary>
    public const string TokenExpiresClaim = "prepaid:token-expires";

    /// <summary>The token a request authenticates with: the Authorization header, else the cookie, else (hubs only) the query.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Cookies.TryGetValue(Cookie, out var c)) return c;
        if (request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var q)) return q.ToString();
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var hash = Passwords.Sha256Hex(token);

        await using var connection = await db.OpenAsync(Context.RequestAborted);
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string Username, string Role, long? TenantId, long ExpiresAtMs)>(
            """
            SELECT u.id, u.username, u.role, u.tenant_id, t.expires_at_ms
            FROM auth_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash AND t.expires_at_ms > @nowMs AND u.disabled = 0
            """, new { hash, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        if (user.Id == 0) return AuthenticateResult.Fail("The token is unknown or has expired.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Name, user.Username),
            new(ClaimTypes.Role, user.Role),
            new(TokenHashClaim, hash),
            new(TokenExpiresClaim, user.ExpiresAtMs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (user.TenantId is { } tenantId) claims.Add(new Claim(Roles.TenantClaim, tenantId.ToString()));
        if (user.Role is Roles.Operator or Roles.Cashier)
        {
            // Site scope travels as a claim so every endpoint and the hub check it without another query.
            var sites = await connection.QueryAsync<long>("SELECT site_id FROM user_sites WHERE user_id = @id ORDER BY site_id", new { id = user.Id });
            claims.Add(new Claim(SiteScope.SitesClaim, string.Join(',', sites)));
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>Whether a token still works: it is checked on every request, so a deleted row ends the session at once.</summary>
    public static async Task<bool> IsLiveAsync(DbConnection connection, string tokenHash, long nowMs) =>
        await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM auth_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @tokenHash AND t.expires_at_ms > @nowMs AND u.disabled = 0
            """, new { tokenHash, nowMs }) > 0;
}
