using FluentValidation;
using Prepaid.Api.Auth;

namespace Prepaid.Api.Users;

/// <summary>An admin's change of a user: any of role, disabled, sites (the sites of an operator or cashier).</summary>
public sealed record UpdateUserRequest(string? Role, bool? Disabled, List<long>? SiteIds);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Passwords chosen on these endpoints: long enough to resist guessing, short enough to hash cheaply.</summary>
public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static IRuleBuilderOptions<T, string?> NewPassword<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MinimumLength(MinLength).MaximumLength(MaxLength);
}

public sealed class UpdateUserValidator : AbstractValidator<UpdateUserRequest>
{
    static readonly string[] StaffRoles = Roles.All.Where(r => r != Roles.Tenant).ToArray();

    public UpdateUserValidator()
    {
        RuleFor(r => r).Must(r => r.Role is not null || r.Disabled is not null || r.SiteIds is not null).OverridePropertyName("body")
            .WithMessage("Give at least one of role, disabled, siteIds.");
        RuleFor(r => r.Role).Must(r => StaffRoles.Contains(r)).When(r => r.Role is not null)
            .WithMessage($"Must be one of {string.Join(", ", StaffRoles)}; a tenant's sign-in is made with the tenant (POST /api/tenants).");
    }
}

public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordValidator()
    {
        RuleFor(r => r.CurrentPassword).NotEmpty().MaximumLength(PasswordRules.MaxLength);
        RuleFor(r => r.NewPassword).NewPassword();
        RuleFor(r => r.NewPassword).NotEqual(r => r.CurrentPassword).When(r => !string.IsNullOrEmpty(r.NewPassword))
            .WithMessage("The new password must differ from the current one.");
    }
}
