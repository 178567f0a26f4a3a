using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;

namespace Prepaid.Api.Users;

/// <summary>
/// Changes that end sessions: a user's own password; an admin's edit (role, disabled, sites) and password reset. Each
/// deletes the user's other tokens in the transaction of the change and then closes their live hub connections, so
/// what the change takes away is gone at the next request and on the live dashboard at once.
/// </summary>
public static class UserChangesApi
{
    public static void MapUserChanges(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/users/me/password", ChangeOwnPassword).Validate<ChangePasswordRequest, ChangePasswordValidator>()
            .RequireAuthorization().RequireRateLimiting(RateLimits.SignIn).WithTags("Users")
            .WithSummary("Change one's own password; the other sessions of the user end");
        var admin = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Roles.AdminOnly);
        admin.MapPut("/{userId:long}", Update).Validate<UpdateUserRequest, UpdateUserValidator>()
            .WithSummary("Change a user's role, disabled flag or sites; the user's sessions end");
        admin.MapPost("/{userId:long}/password-reset", ResetPassword)
            .WithSummary("Give a user a new random password, shown once; the user's sessions end and a lockout is lifted");
    }

    /// <summary>Deletes the user's tokens but the one asking; after the commit, call <see cref="HubConnections.CloseUserAsync"/>.</summary>
    public static Task RevokeTokensAsync(DbConnection connection, DbTransaction tx, long userId, string? keepTokenHash) =>
        connection.ExecuteAsync("DELETE FROM auth_tokens WHERE user_id = @userId AND (@keepTokenHash IS NULL OR token_hash <> @keepTokenHash)",
            new { userId, keepTokenHash }, tx);

    // The caller's own session survives a change it makes to itself; every other session of the user ends.
    static string? Keep(ClaimsPrincipal caller, long userId) => caller.Id() == userId ? caller.TokenHash() : null;

    static async Task<IResult> ChangeOwnPassword(ChangePasswordRequest r, ClaimsPrincipal caller, Db db, SignInGuard guard, HubConnections hubs,
        HttpResponse response, CancellationToken ct)
    {
        var userId = caller.Id();
        await using var connection = await db.OpenAsync(ct);
        var user = await connection.QuerySingleAsync<(string Username, string PasswordHash)>(
            "SELECT username, password_hash FROM users WHERE id = @userId", new { userId });
        // A stolen session must not become a way to guess the password: the same lockout as signing in.
        if (await guard.LockedForAsync(connection, user.Username) is { } locked) return RateLimits.TooMany(response, locked);
        if (!guard.PasswordMatches(r.CurrentPassword!, user.PasswordHash))
        {
            await guard.FailedAsync(connection, user.Username);
            return Problems.Field("currentPassword", "The current password is wrong.");
        }
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @userId", new { userId, hash = Passwords.Hash(r.NewPassword!) }, tx);
            await RevokeTokensAsync(connection, tx, userId, caller.TokenHash());
            await guard.ClearAsync(connection, tx, user.Username);
            await tx.CommitAsync(ct);
        }
        await hubs.CloseUserAsync(userId, caller.TokenHash());
        return TypedResults.NoContent();
    }

    static async Task<IResult> Update(long userId, UpdateUserRequest r, ClaimsPrincipal caller, Db db, HubConnections hubs, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<(long Id, string Role, bool Disabled)>(
            "SELECT id, role, disabled FROM users WHERE id = @userId", new { userId });
        if (user.Id == 0) return Problems.NotFound($"User {userId}");
        var role = r.Role ?? user.Role;
        var disabled = r.Disabled ?? user.Disabled;
        if ((user.Role == Roles.Tenant) != (role == Roles.Tenant))
            return Problems.Field("role", "A tenant's sign-in stays a tenant's sign-in.", StatusCodes.Status409Conflict, "The role cannot change this way.");
        var scoped = role is Roles.Operator or Roles.Cashier;
        if (r.SiteIds is not null && !scoped)
            return Problems.Field("siteIds", "Only operators and cashiers are scoped to sites.", StatusCodes.Status409Conflict, "This user is not site-scoped.");
        if (await UsersApi.UnknownSiteAsync(connection, db, r.SiteIds) is { } bad) return bad;
        if (user.Role == Roles.Admin && !user.Disabled && (role != Roles.Admin || disabled)
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> @userId", new { userId }) == 0)
            return Problems.Field(r.Disabled == true ? "disabled" : "role", "Someone must stay able to manage users.", StatusCodes.Status409Conflict,
                "This is the last enabled admin.");

        var keep = Keep(caller, userId);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync("UPDATE users SET role = @role, disabled = @disabled WHERE id = @userId",
                new { userId, role, disabled = disabled ? 1 : 0 }, tx);
            if (!scoped || r.SiteIds is not null)
                await connection.ExecuteAsync("DELETE FROM user_sites WHERE user_id = @userId", new { userId }, tx);
            foreach (var siteId in (r.SiteIds ?? []).Distinct())
                await connection.ExecuteAsync("INSERT INTO user_sites (user_id, site_id) VALUES (@userId, @siteId)", new { userId, siteId }, tx);
            await RevokeTokensAsync(connection, tx, userId, keep);
            await tx.CommitAsync(ct);
        }
        await hubs.CloseUserAsync(userId, keep);
        return TypedResults.Ok(await UsersApi.LoadAsync(connection, userId));
    }

    static async Task<IResult> ResetPassword(long userId, ClaimsPrincipal caller, Db db, SignInGuard guard, HubConnections hubs,
        HttpResponse response, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var username = await connection.ExecuteScalarAsync<string?>("SELECT username FROM users WHERE id = @userId", new { userId });
        if (username is null) return Problems.NotFound($"User {userId}");
        var temporary = Passwords.NewSecret(12);
        var keep = Keep(caller, userId);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @userId", new { userId, hash = Passwords.Hash(temporary) }, tx);
            await RevokeTokensAsync(connection, tx, userId, keep);
            await guard.ClearAsync(connection, tx, username);
            await tx.CommitAsync(ct);
        }
        await hubs.CloseUserAsync(userId, keep);
        AuthApi.NoStore(response);
        return TypedResults.Ok(new { id = userId, username, temporaryPassword = temporary });
    }
}
