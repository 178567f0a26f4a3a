using System.ComponentModel.DataAnnotations;
using Dapper;
using FluentValidation;
using Prepaid.Api.Common;
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
            .WithSummary("Sign in: exchange a username and password for a bearer token");
    }

    static async Task<IResult> IssueToken(TokenRequest request, Db db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string PasswordHash, string Role)>(
            "SELECT id, password_hash, role FROM users WHERE username = @username", new { username = request.Username });
        // One answer for an unknown user and a wrong password: do not reveal which usernames exist.
        if (user.Id == 0 || !Passwords.Verify(request.Password!, user.PasswordHash))
            return TypedResults.Problem(title: "The username or password is wrong.", statusCode: StatusCodes.Status401Unauthorized);

        var token = Passwords.NewSecret(32);
        var now = time.GetUtcNow();
        var expiresAt = now + Lifetime;
        await connection.ExecuteAsync(
            "INSERT INTO auth_tokens (token_hash, user_id, expires_at_ms, created_at_ms) VALUES (@hash, @userId, @expiresAtMs, @nowMs)",
            new { hash = Passwords.Sha256Hex(token), userId = user.Id, expiresAtMs = expiresAt.ToUnixTimeMilliseconds(), nowMs = now.ToUnixTimeMilliseconds() });
        http.Response.Cookies.Append(TokenAuthentication.Cookie, token,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Expires = expiresAt });
        return TypedResults.Ok(new { token, expiresAt = ApiFormat.Instant(expiresAt), role = user.Role });
    }
}
