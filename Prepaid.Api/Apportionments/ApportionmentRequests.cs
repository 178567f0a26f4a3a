using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Apportionments;

public sealed record ShareDto(
    [property: Range(1, long.MaxValue)] long AccountId,
    [property: Description("The weights method: above 0 up to 1000000 as a string, at most 4 decimals."), RegularExpression(@"^\d{1,7}(\.\d{1,4})?$")] string? Weight);

/// <summary>A common-area (公摊) or loss (损耗) rule: a master meter, its tariff, and the accounts that share it.</summary>
public sealed record CreateRuleRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: Range(1, long.MaxValue)] long MasterMeterId,
    [property: Description("common or loss."), RegularExpression("^(common|loss)$")] string? Kind,
    [property: Description("area, equal, weights or consumption."), RegularExpression("^(area|equal|weights|consumption)$")] string? Method,
    [property: MinLength(1), MaxLength(Limits.Shares)] List<ShareDto>? Shares,
    [property: Range(1, long.MaxValue)] long? TariffId);

public sealed record RunRequest(
    [property: Description(Limits.InstantDoc), RegularExpression(Limits.InstantPattern)] string? From,
    [property: Description(Limits.InstantDoc + " After from."), RegularExpression(Limits.InstantPattern)] string? To);

public sealed class CreateRuleValidator : AbstractValidator<CreateRuleRequest>
{
    public CreateRuleValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.MasterMeterId).GreaterThan(0);
        RuleFor(r => r.TariffId).GreaterThan(0).When(r => r.TariffId is not null);
        RuleFor(r => r.Kind).Must(k => k is "common" or "loss").WithMessage("Must be common or loss.");
        RuleFor(r => r.Method).Must(m => m is "area" or "equal" or "weights" or "consumption").WithMessage("Must be area, equal, weights or consumption.");
        RuleFor(r => r.Shares).NotEmpty();
        RuleFor(r => r.Shares).Must(s => s!.Count <= Limits.Shares).When(r => r.Shares is not null).WithMessage($"At most {Limits.Shares} shares.");
        RuleFor(r => r.Shares).Must(s => s!.Where(x => x is not null).Select(x => x.AccountId).Distinct().Count() == s!.Count(x => x is not null))
            .When(r => r.Shares is not null).WithMessage("An account appears twice.");
        RuleForEach(r => r.Shares).NotNull().WithMessage("A share cannot be null.");
        RuleForEach(r => r.Shares).ChildRules(s =>
        {
            s.RuleFor(x => x.AccountId).GreaterThan(0);
            s.RuleFor(x => x.Weight).Must(w => Limits.IsDecimal(w, 0m, Limits.WeightMax, 4, minExclusive: true)).When(x => x.Weight is not null)
                .WithMessage("Must be a positive number up to 1000000 with at most 4 decimals.");
        });
        RuleFor(r => r.Shares).Custom((shares, context) =>
        {
            if (shares is null || context.InstanceToValidate.Method != "weights") return;
            for (var i = 0; i < shares.Count; i++)
                if (shares[i] is { Weight: null })
                    context.AddFailure($"{nameof(CreateRuleRequest.Shares)}[{i}].{nameof(ShareDto.Weight)}", "The weights method needs a weight on every share.");
        });
    }
}

public sealed class RunValidator : AbstractValidator<RunRequest>
{
    public RunValidator()
    {
        RuleFor(r => r.From).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(r => r.To).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage(ApiFormat.InstantRule);
        // Either bound may be the wrong one: both are named.
        RuleFor(r => r.From).Must((r, from) => ApiFormat.Instant(r.To!) > ApiFormat.Instant(from!))
            .When(r => ApiFormat.TryInstant(r.From, out _) && ApiFormat.TryInstant(r.To, out _)).WithMessage("Must be before to.");
        RuleFor(r => r.To).Must((r, to) => ApiFormat.Instant(to!) > ApiFormat.Instant(r.From!))
            .When(r => ApiFormat.TryInstant(r.From, out _) && ApiFormat.TryInstant(r.To, out _)).WithMessage("Must be after from.");
    }
}
