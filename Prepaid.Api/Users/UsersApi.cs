using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;

namespace Prepaid.Api.Users;

/// <summary>
/// The admin manages users and assigns operators and cashiers to sites (user_sites); anyone signed in may ask who they
/// are. Changes that end sessions (role, disabled, sites, passwords) are in <see cref="UserChangesApi"/>.
/// </summary>
public static class UsersApi
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", Me).RequireAuthorization().WithTags("Users").WithSummary("Who is signed in: role, tenant, sites");
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Roles.AdminOnly);
        group.MapPost("/", Create).Validate<CreateUserRequest, CreateUserValidator>();
        group.MapGet("/", List);
        group.MapPut("/{userId:long}/sites", SetSites).Validate<UserSitesRequest, UserSitesValidator>()
            .WithSummary("Replace the sites an operator or cashier works for; the user's sessions end");
        app.MapUserChanges();
    }

    static async Task<IResult> Me(ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await LoadAsync(connection, user.Id()));
    }

    static async Task<IResult> Create(CreateUserRequest r, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username = @Username", new { r.Username }) > 0)
            return Problems.Field("username", $"User {r.Username} already exists.", StatusCodes.Status409Conflict, "The username is taken.");
        if (r.TenantId is { } tenantId && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants WHERE id = @tenantId", new { tenantId }) == 0)
            return Problems.Field("tenantId", $"Tenant {tenantId} does not exist.", StatusCodes.Status404NotFound, "The tenant was not found.");
        if (await UnknownSiteAsync(connection, db, r.SiteIds) is { } bad) return bad;

        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("users",
            "username, password_hash, role, tenant_id, created_at_ms", "@Username, @hash, @Role, @TenantId, @nowMs"),
            new { r.Username, hash = Passwords.Hash(r.Password!), r.Role, r.TenantId, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        foreach (var siteId in (r.SiteIds ?? []).Distinct())
            await connection.ExecuteAsync("INSERT INTO user_sites (user_id, site_id) VALUES (@id, @siteId)", new { id, siteId }, tx);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/users/{id}", await LoadAsync(connection, id));
    }

    static async Task<IResult> List(Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>("SELECT id FROM users ORDER BY id");
        var list = new List<object>();
        foreach (var id in ids) list.Add((await LoadAsync(connection, id))!);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> SetSites(long userId, UserSitesRequest r, Db db, HubConnections hubs, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var role = await connection.ExecuteScalarAsync<string?>("SELECT role FROM users WHERE id = @userId", new { userId });
        if (role is null) return Problems.NotFound($"User {userId}");
        if (role is not (Roles.Operator or Roles.Cashier))
            return Problems.Field("siteIds", "Only operators and cashiers are scoped to sites.", StatusCodes.Status409Conflict, "This user is not site-scoped.");
        if (await UnknownSiteAsync(connection, db, r.SiteIds) is { } bad) return bad;
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("DELETE FROM user_sites WHERE user_id = @userId", new { userId }, tx);
        foreach (var siteId in r.SiteIds!.Distinct())
            await connection.ExecuteAsync("INSERT INTO user_sites (user_id, site_id) VALUES (@userId, @siteId)", new { userId, siteId }, tx);
        // A site taken away must stop reaching the user's open dashboards too, not only their next request.
        await UserChangesApi.RevokeTokensAsync(connection, tx, userId, null);
        await tx.CommitAsync(ct);
        await hubs.CloseUserAsync(userId);
        return TypedResults.Ok(await LoadAsync(connection, userId));
    }

    internal static async Task<IResult?> UnknownSiteAsync(DbConnection connection, Db db, List<long>? siteIds)
    {
        if (siteIds is not { Count: > 0 }) return null;
        var known = (await connection.QueryAsync<long>($"SELECT id FROM sites WHERE id IN {db.Dialect.IdsFromJson("@ids")}",
            new { ids = JsonSerializer.Serialize(siteIds) })).ToHashSet();
        var i = siteIds.FindIndex(s => !known.Contains(s));
        return i < 0 ? null : Problems.Field($"siteIds[{i}]", $"Site {siteIds[i]} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
    }

    internal static async Task<object?> LoadAsync(DbConnection connection, long id)
    {
        var u = await connection.QuerySingleOrDefaultAsync<(long Id, string Username, string Role, long? TenantId, bool Disabled)>(
            "SELECT id, username, role, tenant_id, disabled FROM users WHERE id = @id", new { id });
        if (u.Id == 0) return null;
        var sites = await connection.QueryAsync<long>("SELECT site_id FROM user_sites WHERE user_id = @id ORDER BY site_id", new { id });
        return new
        {
            id = u.Id, username = u.Username, role = u.Role, tenantId = u.TenantId, disabled = u.Disabled,
            // null: every site (admin, auditor); a list: the sites an operator or cashier works for.
            siteIds = u.Role is Roles.Operator or Roles.Cashier ? sites : null,
        };
    }
}
