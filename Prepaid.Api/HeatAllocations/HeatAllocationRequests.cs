using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.HeatAllocations;

public sealed record HeatFlatDto(
    [property: Range(1, long.MaxValue)] long AccountId,
    [property: Description("Floor area in m² as a string, above 0 below 1000000, at most 4 decimals."), RegularExpression(@"^\d{1,6}(\.\d{1,4})?$")] string? AreaM2,
    [property: Description("The flat's allocators' units for the period, 0 … 100000000 with at most 3 decimals; absent for a flat without allocators (2EG)."),
               RegularExpression(@"^\d{1,9}(\.\d{1,3})?$")] string? AllocatorUnits);

/// <summary>
/// R34 over [from, to): the building's heat quantity Q, its cost C given as totalCost or priced at a heat tariff, Ur and k
/// (the site's heat settings when left out), and the flats.
/// </summary>
public sealed record HeatAllocationRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: Description(Limits.InstantDoc), RegularExpression(Limits.InstantPattern)] string? From,
    [property: Description(Limits.InstantDoc + " After from."), RegularExpression(Limits.InstantPattern)] string? To,
    [property: Description("The building heat meter's quantity for the period, above 0 up to 1000000000, at most 3 decimals."), RegularExpression(@"^\d{1,10}(\.\d{1,3})?$")] string? Quantity,
    [property: Description("The priced heat C in CNY, 0.00 … 1000000.00 (or give tariffId)."), RegularExpression(Limits.PositiveAmountPattern)] string? TotalCost,
    [property: Range(1, long.MaxValue), Description("A heat tariff of the site that prices quantity over [from, to) (or give totalCost).")] long? TariffId,
    [property: Description("The share split by allocator units, 0.50 … 0.90 with at most 2 decimals; the site's setting when left out."), RegularExpression(@"^0(\.\d{1,2})?$")] string? Ur,
    [property: Description("k, above 0 up to 10 with at most 2 decimals; the site's setting (default 2.0) when left out."), RegularExpression(@"^\d{1,2}(\.\d{1,2})?$")] string? CorrectionFactor,
    [property: MinLength(1), MaxLength(Limits.Shares)] List<HeatFlatDto>? Flats);

/// <summary>A building's R34 settings: Ur and the correction factor k.</summary>
public sealed record HeatSettingsRequest(
    [property: Description("0.50 … 0.90 with at most 2 decimals."), RegularExpression(@"^0(\.\d{1,2})?$")] string? Ur,
    [property: Description("k, above 0 up to 10 with at most 2 decimals (default 2.0)."), RegularExpression(@"^\d{1,2}(\.\d{1,2})?$")] string? CorrectionFactor);

static class HeatRules
{
    public const string UrRule = "Must be from 0.50 to 0.90 with at most 2 decimals.";
    public const string CorrectionFactorRule = "Must be above 0 up to 10 with at most 2 decimals.";

    public static bool IsUr(string? text) => Limits.IsDecimal(text, HeatAllocation.UrMin, HeatAllocation.UrMax, 2);

    public static bool IsCorrectionFactor(string? text) => Limits.IsDecimal(text, 0m, 10m, 2, minExclusive: true);
}

public sealed class HeatSettingsValidator : AbstractValidator<HeatSettingsRequest>
{
    public HeatSettingsValidator()
    {
        RuleFor(r => r.Ur).Must(HeatRules.IsUr).WithMessage(HeatRules.UrRule);
        RuleFor(r => r.CorrectionFactor).Must(HeatRules.IsCorrectionFactor).When(r => r.CorrectionFactor is not null).WithMessage(HeatRules.CorrectionFactorRule);
    }
}

public sealed class HeatAllocationValidator : AbstractValidator<HeatAllocationRequest>
{
    public HeatAllocationValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.From).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(r => r.To).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage(ApiFormat.InstantRule);
        // Either bound may be the wrong one: both are named.
        RuleFor(r => r.From).Must((r, from) => ApiFormat.Instant(r.To!) > ApiFormat.Instant(from!))
            .When(r => ApiFormat.TryInstant(r.From, out _) && ApiFormat.TryInstant(r.To, out _)).WithMessage("Must be before to.");
        RuleFor(r => r.To).Must((r, to) => ApiFormat.Instant(to!) > ApiFormat.Instant(r.From!))
            .When(r => ApiFormat.TryInstant(r.From, out _) && ApiFormat.TryInstant(r.To, out _)).WithMessage("Must be after from.");
        RuleFor(r => r.Quantity).Must(q => Limits.IsDecimal(q, 0m, Limits.QuantityMax, 3, minExclusive: true))
            .WithMessage("Must be a quantity above 0 up to 1000000000 with at most 3 decimals.");
        RuleFor(r => r.TotalCost).Must(c => Limits.IsAmount(c, 0)).When(r => r.TotalCost is not null).WithMessage("Must be an amount from 0.00 to 1000000.00.");
        RuleFor(r => r.TotalCost).NotNull().When(r => r.TariffId is null).WithMessage("Give totalCost, or a tariffId to price the quantity.");
        RuleFor(r => r.TariffId).Null().When(r => r.TotalCost is not null).WithMessage("Give either totalCost or tariffId, not both.");
        RuleFor(r => r.TariffId).GreaterThan(0).When(r => r.TariffId is not null);
        RuleFor(r => r.Ur).Must(HeatRules.IsUr).When(r => r.Ur is not null).WithMessage(HeatRules.UrRule);
        RuleFor(r => r.CorrectionFactor).Must(HeatRules.IsCorrectionFactor).When(r => r.CorrectionFactor is not null).WithMessage(HeatRules.CorrectionFactorRule);
        RuleFor(r => r.Flats).NotEmpty();
        RuleFor(r => r.Flats).Must(f => f!.Count <= Limits.Shares).When(r => r.Flats is not null).WithMessage($"At most {Limits.Shares} flats.");
        RuleForEach(r => r.Flats).NotNull().WithMessage("A flat cannot be null.");
        RuleFor(r => r.Flats).Must(f => f!.Where(x => x is not null).Select(x => x.AccountId).Distinct().Count() == f!.Count(x => x is not null))
            .When(r => r.Flats is not null).WithMessage("An account appears twice.");
        RuleForEach(r => r.Flats).ChildRules(f =>
        {
            f.RuleFor(x => x.AccountId).GreaterThan(0);
            f.RuleFor(x => x.AreaM2).Must(a => Limits.IsDecimal(a, 0m, Limits.AreaMaxM2 - 0.0001m, 4, minExclusive: true))
                .WithMessage("Must be a floor area above 0 below 1000000 m² with at most 4 decimals.");
            f.RuleFor(x => x.AllocatorUnits).Must(u => Limits.IsDecimal(u, 0m, 100_000_000m, 3)).When(x => x.AllocatorUnits is not null)
                .WithMessage("Must be units from 0 to 100000000 with at most 3 decimals.");
        }).When(r => r.Flats is not null);
        // Ur is split by units over all units: where every allocator reads zero there is nothing to split by, and each of them is named.
        RuleFor(r => r.Flats).Custom((flats, context) =>
        {
            if (flats is null || flats.Any(f => f?.AllocatorUnits is { } u && !ApiFormat.TryDecimal(u, out _))) return;
            var metered = flats.Select((f, i) => (f, i)).Where(x => x.f?.AllocatorUnits is not null).ToList();
            if (metered.Count == 0 || metered.Sum(x => ApiFormat.ParseDecimal(x.f!.AllocatorUnits!)) > 0m) return;
            foreach (var (_, i) in metered)
                context.AddFailure($"{nameof(HeatAllocationRequest.Flats)}[{i}].{nameof(HeatFlatDto.AllocatorUnits)}",
                    "The allocators' units add up to zero: Ur cannot be split by units.");
        });
    }
}
