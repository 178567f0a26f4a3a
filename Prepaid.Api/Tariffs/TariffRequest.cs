using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Tariffs;

public sealed record SegmentDto(string? From, string? To, string? Period);

public sealed record TierDto(string? UpTo, string? Price);

/// <summary>One effective-dated version: kind flat {price}, tou {prices, segments} or tiered {period, tiers}.</summary>
public sealed record TariffVersionDto(string? EffectiveFrom, string? Kind, string? Price, Dictionary<string, string>? Prices,
    List<SegmentDto>? Segments, string? Period, List<TierDto>? Tiers);

public sealed record CreateTariffRequest(long SiteId, string? Name, string? Utility, string? CatalogPrice, List<TariffVersionDto>? Versions);

public sealed record AddVersionRequest(TariffVersionDto? Version);

public sealed class TariffVersionValidator : AbstractValidator<TariffVersionDto>
{
    static readonly string[] PeriodNames = ["sharp", "peak", "flat", "valley"];

    public TariffVersionValidator()
    {
        RuleFor(v => v.EffectiveFrom).Must(t => ApiFormat.TryInstant(t, out _)).WithMessage("Must be an ISO 8601 instant with offset.");
        RuleFor(v => v.Kind).Must(k => k is "flat" or "tou" or "tiered").WithMessage("Must be flat, tou or tiered.");
        When(v => v.Kind == "flat", () => RuleFor(v => v.Price).Must(BePrice).WithMessage(PriceMessage));
        When(v => v.Kind == "tou", () =>
        {
            RuleFor(v => v.Prices).NotNull().Must(p => PeriodNames.All(n => p!.ContainsKey(n) && BePrice(p[n])))
                .WithMessage("Needs sharp, peak, flat and valley prices. " + PriceMessage);
            RuleFor(v => v.Segments).NotEmpty();
            RuleForEach(v => v.Segments).ChildRules(s =>
            {
                s.RuleFor(x => x.From).Must(BeTime).WithMessage("Must be HH:mm.");
                s.RuleFor(x => x.To).Must(BeTime).WithMessage("Must be HH:mm (00:00 is the end of the day).");
                s.RuleFor(x => x.Period).Must(p => PeriodNames.Contains(p)).WithMessage("Must be sharp, peak, flat or valley.");
            });
        });
        When(v => v.Kind == "tiered", () =>
        {
            RuleFor(v => v.Period).Must(p => p is "month" or "year").WithMessage("Must be month or year.");
            RuleFor(v => v.Tiers).NotEmpty();
            RuleForEach(v => v.Tiers).ChildRules(t =>
            {
                t.RuleFor(x => x.Price).Must(BePrice).WithMessage(PriceMessage);
                t.RuleFor(x => x.UpTo).Must(u => ApiFormat.TryDecimal(u, out var q) && q > 0).When(x => x.UpTo is not null)
                    .WithMessage("Must be a positive quantity, or null for the last tier.");
            });
        });
    }

    const string PriceMessage = "Prices are non-negative with at most 4 decimals, e.g. \"0.6853\".";

    static bool BePrice(string? p) => ApiFormat.TryDecimal(p, out var v) && v >= 0 && v < 1000 && decimal.Round(v, 4) == v;

    static bool BeTime(string? t) => TimeOnly.TryParseExact(t, "HH:mm", out _);
}

public sealed class CreateTariffValidator : AbstractValidator<CreateTariffRequest>
{
    public CreateTariffValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Utility).Must(u => ApiFormat.TryUtility(u, out _)).WithMessage("Must be electricity, water or heat.");
        RuleFor(r => r.CatalogPrice).Must(p => ApiFormat.TryDecimal(p, out var v) && v > 0 && decimal.Round(v, 4) == v)
            .When(r => r.CatalogPrice is not null).WithMessage("Must be a positive price with at most 4 decimals.");
        RuleFor(r => r.Versions).NotEmpty();
        RuleForEach(r => r.Versions).SetValidator(new TariffVersionValidator());
    }
}

public sealed class AddVersionValidator : AbstractValidator<AddVersionRequest>
{
    public AddVersionValidator()
    {
        RuleFor(r => r.Version).NotNull().SetValidator(new TariffVersionValidator()!);
    }
}
