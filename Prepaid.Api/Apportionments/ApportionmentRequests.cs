using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Apportionments;

public sealed record ShareDto(long AccountId, string? Weight);

/// <summary>A common-area (公摊) or loss (损耗) rule: a master meter, its tariff, and the accounts that share it.</summary>
public sealed record CreateRuleRequest(long SiteId, long MasterMeterId, string? Kind, string? Method, List<ShareDto>? Shares, long? TariffId);

public sealed record RunRequest(string? From, string? To);

public sealed class CreateRuleValidator : AbstractValidator<CreateRuleRequest>
{
    public CreateRuleValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.MasterMeterId).GreaterThan(0);
        RuleFor(r => r.Kind).Must(k => k is "common" or "loss").WithMessage("Must be common or loss.");
        RuleFor(r => r.Method).Must(m => m is "area" or "equal" or "weights" or "consumption").WithMessage("Must be area, equal, weights or consumption.");
        RuleFor(r => r.Shares).NotEmpty();
        RuleFor(r => r.Shares).Must(s => s!.Select(x => x.AccountId).Distinct().Count() == s!.Count).When(r => r.Shares is not null)
            .WithMessage("An account appears twice.");
        RuleForEach(r => r.Shares).ChildRules(s =>
        {
            s.RuleFor(x => x.AccountId).GreaterThan(0);
            s.RuleFor(x => x.Weight).Must(w => ApiFormat.TryDecimal(w, out var v) && v > 0).When(x => x.Weight is not null)
                .WithMessage("Must be a positive number.");
        });
        RuleForEach(r => r.Shares).Must(s => s.Weight is not null).When(r => r.Method == "weights")
            .WithMessage("The weights method needs a weight on every share.");
    }
}

public sealed class RunValidator : AbstractValidator<RunRequest>
{
    public RunValidator()
    {
        RuleFor(r => r.From).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage("Must be an ISO 8601 instant with offset.");
        RuleFor(r => r.To).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage("Must be an ISO 8601 instant with offset.");
        RuleFor(r => r.To).Must((r, to) => ApiFormat.Instant(to!) > ApiFormat.Instant(r.From!))
            .When(r => ApiFormat.TryInstant(r.From, out _) && ApiFormat.TryInstant(r.To, out _)).WithMessage("Must be after from.");
    }
}
