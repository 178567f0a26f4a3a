using FluentValidation;
using Prepaid.Api.Auth;

namespace Prepaid.Api.Users;

/// <summary>An operator-side user (admin, operator, cashier, auditor) or a tenant's sign-in; operators and cashiers get their sites.</summary>
public sealed record CreateUserRequest(string? Username, string? Password, string? Role, List<long>? SiteIds, long? TenantId);

public sealed record UserSitesRequest(List<long>? SiteIds);

public sealed class CreateUserValidator : AbstractValidator<CreateUserRequest>
{
    public CreateUserValidator()
    {
        RuleFor(r => r.Username).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Password).NotEmpty().MinimumLength(8);
        RuleFor(r => r.Role).Must(r => Roles.All.Contains(r)).WithMessage($"Must be one of {string.Join(", ", Roles.All)}.");
        RuleFor(r => r.TenantId).NotNull().When(r => r.Role == Roles.Tenant).WithMessage("A tenant sign-in needs the tenant it belongs to.");
        RuleFor(r => r.TenantId).Null().When(r => r.Role != Roles.Tenant).WithMessage("Only a tenant sign-in belongs to a tenant.");
        RuleFor(r => r.SiteIds).Empty().When(r => r.Role is not (Roles.Operator or Roles.Cashier))
            .WithMessage("Only operators and cashiers are scoped to sites; admins and auditors see every site.");
    }
}

public sealed class UserSitesValidator : AbstractValidator<UserSitesRequest>
{
    public UserSitesValidator() => RuleFor(r => r.SiteIds).NotNull();
}
