using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Devices;
using Prepaid.Api.Readings;

namespace Prepaid.Api.MeterSwaps;

public sealed record SwapReadingDto(RegistersDto? Registers);

/// <summary>
/// The meter that goes in. Multiplier and register maximum default to the old meter's; without a connection the new
/// meter takes the old one's place on its bus (same gateway, bus, address and profile).
/// </summary>
public sealed record NewMeterDto(
    [property: MaxLength(Limits.Code), RegularExpression("^[0-9A-Za-z_.:-]+$")] string? Serial,
    [property: Description("CT ratio as a string, 1 … 10000, at most 4 decimals (default: the old meter's)."), RegularExpression(@"^\d{1,5}(\.\d{1,4})?$")] string? Multiplier,
    [property: Description("Where the register wraps: a power of ten, 10 … 1000000000000 (default: the old meter's)."), RegularExpression("^10{1,12}$")] string? RegisterMax,
    MeterConnectionRequest? Connection);

/// <summary>R27: replace a meter at an instant, from the old meter's final reading to the new meter's initial reading.</summary>
public sealed record ReplaceMeterRequest(
    [property: Description(Limits.InstantDoc + " Not later than now."), RegularExpression(Limits.InstantPattern)] string? At,
    SwapReadingDto? FinalReading,
    NewMeterDto? NewMeter,
    SwapReadingDto? InitialReading);

public sealed class ReplaceMeterValidator : AbstractValidator<ReplaceMeterRequest>
{
    public ReplaceMeterValidator()
    {
        RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(r => r.FinalReading).NotNull();
        RuleFor(r => r.FinalReading!.Registers).NotNull().SetValidator(new RegistersValidator()!).When(r => r.FinalReading is not null);
        RuleFor(r => r.InitialReading).NotNull();
        RuleFor(r => r.InitialReading!.Registers).NotNull().SetValidator(new RegistersValidator()!).When(r => r.InitialReading is not null);
        RuleFor(r => r.NewMeter).NotNull();
        RuleFor(r => r.NewMeter).ChildRules(m =>
        {
            m.RuleFor(x => x!.Serial).NotEmpty().MaximumLength(Limits.Code).Matches("^[0-9A-Za-z_.:-]+$").WithMessage("Letters, digits and _ . : - only, at most 64.");
            m.RuleFor(x => x!.Multiplier).Must(v => Limits.IsDecimal(v, 1m, Limits.MultiplierMax, 4)).When(x => x!.Multiplier is not null)
                .WithMessage("Must be a CT ratio from 1 to 10000 with at most 4 decimals.");
            m.RuleFor(x => x!.RegisterMax).Must(Limits.IsRegisterMax).When(x => x!.RegisterMax is not null)
                .WithMessage("Must be a power of ten from 10 to 1000000000000.");
            m.RuleFor(x => x!.Connection).SetValidator(new MeterConnectionValidator()!).When(x => x!.Connection is not null);
        }).When(r => r.NewMeter is not null);
    }
}
