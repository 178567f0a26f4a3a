using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Meters;

/// <summary>
/// A meter. <c>connection</c> (gateway, bus, address, profile) is kept as given for the device layer.
/// R8's plausibility limit comes from <c>ratedMaxPerHour</c>, or from rated current and phases.
/// </summary>
public sealed record CreateMeterRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: MaxLength(Limits.Code), RegularExpression("^[0-9A-Za-z_.:-]+$")] string? Serial,
    [property: Description("electricity, water or heat."), RegularExpression(Limits.UtilityPattern)] string? Utility,
    [property: Description("CT ratio as a string, 1 … 10000, at most 4 decimals (default 1)."), RegularExpression(@"^\d{1,5}(\.\d{1,4})?$")] string? Multiplier,
    [property: Description("Where the register wraps: a power of ten, 10 … 1000000000000 (default 1000000)."), RegularExpression("^10{1,12}$")] string? RegisterMax,
    [property: Description("Rated current in A as a string, above 0 up to 10000, at most 2 decimals (default 60)."), RegularExpression(@"^\d{1,5}(\.\d{1,2})?$")] string? RatedCurrentA,
    [property: Description("1 or 3.")] int? Phases,
    [property: Description("R8's largest plausible register delta per hour as a string, above 0 up to 100000, at most 3 decimals."), RegularExpression(@"^\d{1,6}(\.\d{1,3})?$")] string? RatedMaxPerHour,
    [property: Description("0.001, 0.01, 0.1 or 1."), RegularExpression(@"^(0\.001|0\.01|0\.1|1)$")] string? Resolution,
    [property: Range(1, long.MaxValue)] long? TariffId,
    [property: Description("A JSON object of at most 4096 characters, kept for the device layer.")] JsonElement? Connection,
    [property: Description("meter (default) or allocator: a heat cost allocator (utility heat, no tariff) counts units for R34, never priced."), RegularExpression("^(meter|allocator)$")] string? Kind = null);

public sealed class CreateMeterValidator : AbstractValidator<CreateMeterRequest>
{
    public CreateMeterValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Serial).NotEmpty().MaximumLength(Limits.Code).Matches("^[0-9A-Za-z_.:-]+$").WithMessage("Letters, digits and _ . : - only, at most 64.");
        RuleFor(r => r.Utility).Must(u => ApiFormat.TryUtility(u, out _)).WithMessage("Must be electricity, water or heat.");
        RuleFor(r => r.Multiplier).Must(m => Limits.IsDecimal(m, 1m, Limits.MultiplierMax, 4)).When(r => r.Multiplier is not null)
            .WithMessage("Must be a CT ratio from 1 to 10000 with at most 4 decimals.");
        RuleFor(r => r.RegisterMax).Must(Limits.IsRegisterMax).When(r => r.RegisterMax is not null)
            .WithMessage("Must be a power of ten from 10 to 1000000000000.");
        RuleFor(r => r.RatedCurrentA).Must(a => Limits.IsDecimal(a, 0m, Limits.RatedCurrentMaxA, 2, minExclusive: true)).When(r => r.RatedCurrentA is not null)
            .WithMessage("Must be a current above 0 up to 10000 A with at most 2 decimals.");
        RuleFor(r => r.Phases).Must(p => p is 1 or 3).When(r => r.Phases is not null).WithMessage("Must be 1 or 3.");
        RuleFor(r => r.RatedMaxPerHour).Must(m => Limits.IsDecimal(m, 0m, Limits.RatedMaxPerHourMax, 3, minExclusive: true)).When(r => r.RatedMaxPerHour is not null)
            .WithMessage("Must be above 0 up to 100000 per hour with at most 3 decimals.");
        RuleFor(r => r.Resolution).Must(r => ApiFormat.TryDecimal(r, out var v) && v is 0.001m or 0.01m or 0.1m or 1m)
            .When(r => r.Resolution is not null).WithMessage("Must be 0.001, 0.01, 0.1 or 1.");
        RuleFor(r => r.TariffId).GreaterThan(0).When(r => r.TariffId is not null);
        RuleFor(r => r.Connection).Must(Limits.IsSmallObject).WithMessage("Must be a JSON object of at most 4096 characters.");
        RuleFor(r => r.Kind).Must(k => k is MeterKinds.Meter or MeterKinds.Allocator).When(r => r.Kind is not null).WithMessage("Must be meter or allocator.");
        RuleFor(r => r.Utility).Equal("heat").When(r => r.Kind == MeterKinds.Allocator).WithMessage("A heat cost allocator's utility is heat.");
        RuleFor(r => r.TariffId).Null().When(r => r.Kind == MeterKinds.Allocator).WithMessage("A heat cost allocator counts units and has no tariff.");
    }
}
