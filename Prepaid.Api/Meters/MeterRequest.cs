using System.Text.Json;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Meters;

/// <summary>
/// A meter. <c>connection</c> (gateway, bus, address, profile) is kept as given for the device layer.
/// R8's plausibility limit comes from <c>ratedMaxPerHour</c>, or from rated current and phases.
/// </summary>
public sealed record CreateMeterRequest(long SiteId, string? Serial, string? Utility, string? Multiplier, string? RegisterMax,
    string? RatedCurrentA, int? Phases, string? RatedMaxPerHour, string? Resolution, long? TariffId, JsonElement? Connection);

public sealed class CreateMeterValidator : AbstractValidator<CreateMeterRequest>
{
    public CreateMeterValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Serial).NotEmpty().MaximumLength(64).Matches("^[0-9A-Za-z_.:-]+$").WithMessage("Letters, digits and _ . : - only.");
        RuleFor(r => r.Utility).Must(u => ApiFormat.TryUtility(u, out _)).WithMessage("Must be electricity, water or heat.");
        RuleFor(r => r.Multiplier).Must(Positive).When(r => r.Multiplier is not null).WithMessage("Must be a positive number.");
        RuleFor(r => r.RegisterMax).Must(Positive).When(r => r.RegisterMax is not null).WithMessage("Must be a positive number.");
        RuleFor(r => r.RatedCurrentA).Must(Positive).When(r => r.RatedCurrentA is not null).WithMessage("Must be a positive number.");
        RuleFor(r => r.Phases).Must(p => p is 1 or 3).When(r => r.Phases is not null).WithMessage("Must be 1 or 3.");
        RuleFor(r => r.RatedMaxPerHour).Must(Positive).When(r => r.RatedMaxPerHour is not null).WithMessage("Must be a positive number.");
        RuleFor(r => r.Resolution).Must(r => ApiFormat.TryDecimal(r, out var v) && v is 0.001m or 0.01m or 0.1m or 1m)
            .When(r => r.Resolution is not null).WithMessage("Must be 0.001, 0.01, 0.1 or 1.");
    }

    static bool Positive(string? text) => ApiFormat.TryDecimal(text, out var v) && v > 0;
}
