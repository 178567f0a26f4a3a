using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Auth;

namespace Prepaid.Api.Users;

/// <summary>An operator-side user (admin, operator, cashier, auditor) or a tenant's sign-in; operators and cashiers get their sites.</summary>
public sealed record CreateUserRequest(
    [property: MaxLength(Limits.Username)] string? Username,
    [property: MinLength(Limits.PasswordMin), MaxLength(Limits.PasswordMax)] string? Password,
    [property: Description("admin, operator, cashier, auditor or tenant."), RegularExpression("^(admin|operator|cashier|auditor|tenant)$")] string? Role,
    [property: MaxLength(Limits.IdsPerList)] List<long>? SiteIds,
    [property: Range(1, long.MaxValue)] long? TenantId);

public sealed record UserSitesRequest([property: MaxLength(Limits.IdsPerList)] List<long>? SiteIds);

public sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        RuleFor(r => r.Username).NotEmpty().MaximumLength(Limits.Username);
        RuleFor(r => r.Password).NotEmpty().Length(Limits.PasswordMin, Limits.PasswordMax);
        RuleFor(r => r.TenantId).GreaterThan(0).When(r => r.TenantId is not null);
        RuleFor(r => r.SiteIds).Must(ids => ids!.Count <= Limits.IdsPerList).When(r => r.SiteIds is not null).WithMessage("At most 10,000 sites.");
        RuleForEach(r => r.SiteIds).GreaterThan(0);
        RuleFor(r => r.Role).Must(r => Roles.All.Contains(r)).WithMessage($"Must be one of {string.Join(", ", Roles.All)}.");
        RuleFor(r => r.TenantId).NotNull().When(r => r.Role == Roles.Tenant).WithMessage("A tenant sign-in needs the tenant it belongs to.");
        RuleFor(r => r.TenantId).Null().When(r => r.Role != Roles.Tenant).WithMessage("Only a tenant sign-in belongs to a tenant.");
        RuleFor(r => r.SiteIds).Empty().When(r => r.Role is not (Roles.Operator or Roles.Cashier))
            .WithMessage("Only operators and cashiers are scoped to sites; admins and auditors see every site.");
    }
}

public sealed class UserSitesValidator : AbstractValidator<UserSitesRequest>
{
    public UserSitesValidator()
    {
        RuleFor(r => r.SiteIds).NotNull();
        RuleFor(r => r.SiteIds).Must(ids => ids!.Count <= Limits.IdsPerList).When(r => r.SiteIds is not null).WithMessage("At most 10,000 sites.");
        RuleForEach(r => r.SiteIds).GreaterThan(0);
    }
}
