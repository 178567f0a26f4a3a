using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Dapper;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;

namespace Prepaid.Api.Auth;

public sealed record TokenRequest([property: MaxLength(Limits.Username)] string? Username, [property: MaxLength(Limits.PasswordMax)] string? Password);

public sealed class TokenRequestValidator : AbstractValidator<TokenRequest>
{
    public TokenRequestValidator()
    {
        RuleFor(r => r.Username).NotEmpty().MaximumLength(Limits.Username);
        // No password is longer: refused before it is hashed.
        RuleFor(r => r.Password).NotEmpty().MaximumLength(Limits.PasswordMax);
    }
}

public static class AuthApi
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken).Validate<TokenRequest, TokenRequestValidator>().AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignIn)
            .WithSummary("Sign in: exchange a username and password for a bearer token");
        app.MapPost("/api/auth/logout", Logout).AllowAnonymous()
            .WithSummary("Sign out: revoke the token (bearer and cookie) this request carries and close its live hub connections");
    }

    static async Task<IResult> IssueToken(TokenRequest request, Db db, SignInGuard guard, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        NoStore(http.Response);
        var username = request.Username!;
        if (guard.Throttle(username) is { } wait) return RateLimits.TooMany(http.Response, wait);
        await using var connection = await db.OpenAsync(ct);
        if (await guard.LockedForAsync(connection, username) is { } locked) return RateLimits.TooMany(http.Response, locked);

        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string PasswordHash, string Role, bool Disabled)>(
            "SELECT id, password_hash, role, disabled FROM users WHERE username = @username", new { username });
        // One answer, and the same hash work, for an unknown user, a disabled one and a wrong password: do not reveal which usernames exist.
        if (!guard.PasswordMatches(request.Password!, user.Id == 0 ? null : user.PasswordHash) || user.Disabled)
        {
            await guard.FailedAsync(connection, username);
            return TypedResults.Problem(title: "The username or password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }
        await guard.ClearAsync(connection, null, username);

        var token = Passwords.NewSecret(32);
        var now = time.GetUtcNow();
        var expiresAt = now + Lifetime;
        await connection.ExecuteAsync(
            "INSERT INTO auth_tokens (token_hash, user_id, expires_at_ms, created_at_ms) VALUES (@hash, @userId, @expiresAtMs, @nowMs)",
            new { hash = Passwords.Sha256Hex(token), userId = user.Id, expiresAtMs = expiresAt.ToUnixTimeMilliseconds(), nowMs = now.ToUnixTimeMilliseconds() });
        http.Response.Cookies.Append(TokenAuthentication.Cookie, token, CookieOptions(http, expiresAt));
        return TypedResults.Ok(new { token, expiresAt = ApiFormat.Instant(expiresAt), role = user.Role });
    }

    // Anonymous on purpose: an expired or revoked session must still be able to clear its HttpOnly cookie.
    static async Task<IResult> Logout(HttpContext http, Db db, HubConnections hubs, CancellationToken ct)
    {
        var tokens = new[] { TokenAuthentication.TokenOf(http.Request), http.Request.Cookies[TokenAuthentication.Cookie] }
            .Where(t => !string.IsNullOrEmpty(t)).Select(t => Passwords.Sha256Hex(t!)).Distinct().ToList();
        if (tokens.Count > 0)
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync($"DELETE FROM auth_tokens WHERE token_hash IN {db.Dialect.TextsFromJson("@tokens")}",
                new { tokens = JsonSerializer.Serialize(tokens) });
            await hubs.CloseTokensAsync(tokens);
        }
        http.Response.Cookies.Delete(TokenAuthentication.Cookie, CookieOptions(http, null));
        return TypedResults.NoContent();
    }

    static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expiresAt) =>
        new() { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Expires = expiresAt };

    /// <summary>Answers that carry a secret (a token, a temporary password) are kept by no cache.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
