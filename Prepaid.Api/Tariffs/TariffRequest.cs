using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Tariffs;

public sealed record SegmentDto(
    [property: Description("HH:mm, site-local."), RegularExpression(Limits.TimePattern)] string? From,
    [property: Description("HH:mm, site-local (00:00 is the end of the day)."), RegularExpression(Limits.TimePattern)] string? To,
    [property: Description("sharp, peak, flat or valley."), RegularExpression("^(sharp|peak|flat|valley)$")] string? Period);

public sealed record TierDto(
    [property: Description("The tier's upper bound in the meter's unit as a string, above 0 up to 1000000000, at most 3 decimals; null for the last tier."), RegularExpression(@"^\d{1,10}(\.\d{1,3})?$")] string? UpTo,
    [property: Description(TariffVersionValidator.PriceDoc), RegularExpression(Limits.PricePattern)] string? Price);

/// <summary>One effective-dated version: kind flat {price}, tou {prices, segments} or tiered {period, tiers}.</summary>
public sealed record TariffVersionDto(
    [property: Description(Limits.InstantDoc), RegularExpression(Limits.InstantPattern)] string? EffectiveFrom,
    [property: Description("flat, tou or tiered."), RegularExpression("^(flat|tou|tiered)$")] string? Kind,
    [property: Description(TariffVersionValidator.PriceDoc), RegularExpression(Limits.PricePattern)] string? Price,
    [property: Description("tou: {sharp, peak, flat, valley}, each a price. " + TariffVersionValidator.PriceDoc)] Dictionary<string, string>? Prices,
    [property: MaxLength(Limits.TouSegments)] List<SegmentDto>? Segments,
    [property: Description("tiered: month or year."), RegularExpression("^(month|year)$")] string? Period,
    [property: MaxLength(Limits.Tiers)] List<TierDto>? Tiers);

public sealed record CreateTariffRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: MaxLength(Limits.Name)] string? Name,
    [property: Description("electricity, water or heat."), RegularExpression(Limits.UtilityPattern)] string? Utility,
    [property: Description("R17's catalogue price as a string, above 0 and below 1000, at most 4 decimals."), RegularExpression(Limits.PricePattern)] string? CatalogPrice,
    [property: MinLength(1), MaxLength(Limits.TariffVersions)] List<TariffVersionDto>? Versions);

public sealed record AddVersionRequest(TariffVersionDto? Version);

public sealed class TariffVersionValidator : AbstractValidator<TariffVersionDto>
{
    public const string PriceDoc = "A price per unit as a string, 0 … 999.9999, at most 4 decimals, e.g. \"0.6853\".";
    static readonly string[] PeriodNames = ["sharp", "peak", "flat", "valley"];

    public TariffVersionValidator()
    {
        RuleFor(v => v.EffectiveFrom).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(v => v.Kind).Must(k => k is "flat" or "tou" or "tiered").WithMessage("Must be flat, tou or tiered.");
        RuleFor(v => v.Price).Must(BePrice).When(v => v.Kind == "flat" || v.Price is not null).WithMessage(PriceMessage);
        RuleFor(v => v.Period).Must(p => p is "month" or "year").When(v => v.Kind == "tiered" || v.Period is not null).WithMessage("Must be month or year.");
        RuleFor(v => v.Prices).NotNull().When(v => v.Kind == "tou").WithMessage("Needs sharp, peak, flat and valley prices.");
        // Each price is named on its own: versions[0].prices.peak (AddFailure adds the parent's path).
        RuleFor(v => v.Prices).Custom((prices, context) =>
        {
            if (prices is null) return;
            foreach (var name in PeriodNames)
                if (!prices.TryGetValue(name, out var price) ? context.InstanceToValidate.Kind == "tou" : !BePrice(price))
                    context.AddFailure($"{nameof(TariffVersionDto.Prices)}.{name}", PriceMessage);
            if (prices.Keys.Any(k => !PeriodNames.Contains(k)))
                context.AddFailure(nameof(TariffVersionDto.Prices), "Only sharp, peak, flat and valley have prices.");
        });
        RuleFor(v => v.Segments).NotEmpty().When(v => v.Kind == "tou");
        RuleFor(v => v.Segments).Must(s => s!.Count <= Limits.TouSegments).When(v => v.Segments is not null)
            .WithMessage($"At most {Limits.TouSegments} segments.");
        RuleForEach(v => v.Segments).NotNull().WithMessage("A segment cannot be null.");
        RuleForEach(v => v.Segments).ChildRules(s =>
        {
            s.RuleFor(x => x.From).Must(BeTime).WithMessage("Must be HH:mm.");
            s.RuleFor(x => x.To).Must(BeTime).WithMessage("Must be HH:mm (00:00 is the end of the day).");
            s.RuleFor(x => x.Period).Must(p => PeriodNames.Contains(p)).WithMessage("Must be sharp, peak, flat or valley.");
        });
        RuleFor(v => v.Tiers).NotEmpty().When(v => v.Kind == "tiered");
        RuleFor(v => v.Tiers).Must(t => t!.Count <= Limits.Tiers).When(v => v.Tiers is not null).WithMessage($"At most {Limits.Tiers} tiers.");
        RuleForEach(v => v.Tiers).NotNull().WithMessage("A tier cannot be null.");
        RuleForEach(v => v.Tiers).ChildRules(t =>
        {
            t.RuleFor(x => x.Price).Must(BePrice).WithMessage(PriceMessage);
            t.RuleFor(x => x.UpTo).Must(u => Limits.IsDecimal(u, 0m, Limits.QuantityMax, 3, minExclusive: true)).When(x => x.UpTo is not null)
                .WithMessage("Must be a positive quantity up to 1000000000 with at most 3 decimals, or null for the last tier.");
        });
    }

    const string PriceMessage = "Prices are non-negative, below 1000, with at most 4 decimals, e.g. \"0.6853\".";

    static bool BePrice(string? p) => ApiFormat.TryDecimal(p, out var v) && v >= 0 && v < 1000 && decimal.Round(v, 4) == v;

    static bool BeTime(string? t) => TimeOnly.TryParseExact(t, "HH:mm", out _);
}

public sealed class CreateTariffValidator : AbstractValidator<CreateTariffRequest>
{
    public CreateTariffValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.Utility).Must(u => ApiFormat.TryUtility(u, out _)).WithMessage("Must be electricity, water or heat.");
        RuleFor(r => r.CatalogPrice).Must(p => Limits.IsDecimal(p, 0m, 999.9999m, 4, minExclusive: true))
            .When(r => r.CatalogPrice is not null).WithMessage("Must be a positive price below 1000 with at most 4 decimals.");
        RuleFor(r => r.Versions).NotEmpty();
        RuleFor(r => r.Versions).Must(v => v!.Count <= Limits.TariffVersions).When(r => r.Versions is not null)
            .WithMessage($"At most {Limits.TariffVersions} versions.");
        RuleForEach(r => r.Versions).NotNull().WithMessage("A version cannot be null.").SetValidator(new TariffVersionValidator());
    }
}

public sealed class AddVersionValidator : AbstractValidator<AddVersionRequest>
{
    public AddVersionValidator()
    {
        RuleFor(r => r.Version).NotNull().SetValidator(new TariffVersionValidator()!);
    }
}
