using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using FluentValidation;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Tenants;

public sealed record CreateTenantRequest(
    [property: MaxLength(Limits.Name)] string? Name,
    [property: MaxLength(Limits.Phone), RegularExpression(@"^\+?[0-9 -]{5,20}$")] string? Phone,
    [property: MinLength(Limits.PasswordMin), MaxLength(Limits.PasswordMax), Description("Optional: a sign-in for the phone page, the phone number as username.")] string? Password);

public sealed class CreateTenantValidator : AbstractValidator<CreateTenantRequest>
{
    public CreateTenantValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.Phone).NotEmpty().Matches(@"^\+?[0-9 -]{5,20}$").WithMessage("Must be a phone number.");
        RuleFor(r => r.Password).Length(Limits.PasswordMin, Limits.PasswordMax).When(r => r.Password is not null);
    }
}

public static class TenantsApi
{
    public static void MapTenants(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenants").WithTags("Tenants");
        group.MapPost("/", Create).Validate<CreateTenantRequest, CreateTenantValidator>().RequireAuthorization(Roles.Manage);
        group.MapGet("/{tenantId:long}", Get).RequireAuthorization(Roles.Staff);
    }

    /// <summary>A tenant with a password also gets a sign-in for the phone page: the phone number is the username.</summary>
    static async Task<IResult> Create(CreateTenantRequest r, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tenants", "name, phone, created_at_ms", "@Name, @Phone, @nowMs"),
            new { r.Name, r.Phone, nowMs }, tx);
        if (r.Password is not null)
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username = @Phone", new { r.Phone }, tx) > 0)
                return Problems.Field("phone", "A sign-in with this phone number already exists.", StatusCodes.Status409Conflict, "The phone number is taken.");
            await connection.ExecuteAsync(
                "INSERT INTO users (username, password_hash, role, tenant_id, created_at_ms) VALUES (@Phone, @hash, 'tenant', @id, @nowMs)",
                new { r.Phone, hash = Passwords.Hash(r.Password), id, nowMs }, tx);
        }
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/tenants/{id}", new { id, name = r.Name, phone = r.Phone });
    }

    static async Task<IResult> Get(long tenantId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var t = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, string Phone)>(
            $"SELECT t.id, t.name, t.phone FROM tenants t WHERE t.id = @tenantId AND {Visible(db)}", new { tenantId, sites = user.SitesJson() });
        return t.Id == 0 ? Problems.NotFound($"Tenant {tenantId}") : TypedResults.Ok(new { id = t.Id, name = t.Name, phone = t.Phone });
    }

    /// <summary>Whether a tenant exists and the user may see (and so open an account for) them.</summary>
    public static async Task<bool> VisibleAsync(System.Data.Common.DbConnection connection, Db db, ClaimsPrincipal user, long tenantId) =>
        await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM tenants t WHERE t.id = @tenantId AND {Visible(db)}",
            new { tenantId, sites = user.SitesJson() }) > 0;

    /// <summary>
    /// A site-scoped user sees a tenant with an account in one of their sites, or one with no account yet (to open one);
    /// a tenant of other sites only is not theirs to see, nor to bill. Parameter @sites as in SiteScope.SitesJson.
    /// </summary>
    static string Visible(Db db) => $"""
        (@sites IS NULL
           OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = t.id)
           OR EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = t.id AND a.site_id IN {db.Dialect.IdsFromJson("@sites")}))
        """;
}
