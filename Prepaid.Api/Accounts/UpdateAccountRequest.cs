using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Accounts;

public sealed record MeterTariffDto(long MeterId, long TariffId);

/// <summary>
/// Changes an open account: R16 thresholds, the R15 fee rate, keep-on, and the tariff of some of its meters. Every field
/// is optional; what is left out stays as it is.
/// </summary>
public sealed record UpdateAccountRequest(string? Alarm1, string? Alarm2, string? Overdraft, string? ReconnectThreshold, string? ServiceFeeRate,
    bool? KeepOn, List<MeterTariffDto>? Meters);

public sealed class UpdateAccountValidator : AbstractValidator<UpdateAccountRequest>
{
    public UpdateAccountValidator()
    {
        RuleFor(r => r.Alarm1).Must(ApiFormat.IsAmount).When(r => r.Alarm1 is not null).WithMessage("Must be an amount such as \"20.00\".");
        RuleFor(r => r.Alarm2).Must(ApiFormat.IsAmount).When(r => r.Alarm2 is not null).WithMessage("Must be an amount such as \"10.00\".");
        RuleFor(r => r.Overdraft).Must(o => ApiFormat.IsAmount(o) && ApiFormat.Fen(o!) >= 0).When(r => r.Overdraft is not null)
            .WithMessage("Must be a non-negative amount.");
        RuleFor(r => r.ReconnectThreshold).Must(ApiFormat.IsAmount).When(r => r.ReconnectThreshold is not null).WithMessage("Must be an amount.");
        RuleFor(r => r.ServiceFeeRate).Must(f => ApiFormat.TryDecimal(f, out var v) && v >= 0 && v < 1 && decimal.Round(v, 4) == v)
            .When(r => r.ServiceFeeRate is not null).WithMessage("Must be a rate in [0, 1) with at most 4 decimals, e.g. \"0.05\".");
        RuleForEach(r => r.Meters).ChildRules(m =>
        {
            m.RuleFor(x => x.MeterId).GreaterThan(0);
            m.RuleFor(x => x.TariffId).GreaterThan(0);
        });
        RuleFor(r => r.Meters).Must(ms => ms!.Select(m => m.MeterId).Distinct().Count() == ms!.Count).When(r => r.Meters is not null)
            .WithMessage("A meter appears twice.");
    }
}
