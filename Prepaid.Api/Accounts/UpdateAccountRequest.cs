using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Accounts;

public sealed record MeterTariffDto([property: Range(1, long.MaxValue)] long MeterId, [property: Range(1, long.MaxValue)] long TariffId);

/// <summary>
/// Changes an open account: R16 thresholds, the R15 fee rate, keep-on, and the tariff of some of its meters. Every field
/// is optional; what is left out stays as it is. A new tariff prices from the meter's last billed reading on.
/// </summary>
public sealed record UpdateAccountRequest(
    [property: Description(Limits.ThresholdDoc), RegularExpression(Limits.AmountPattern)] string? Alarm1,
    [property: Description(Limits.ThresholdDoc + " Not above alarm1."), RegularExpression(Limits.AmountPattern)] string? Alarm2,
    [property: Description("An amount in CNY as a string with at most 2 decimals, 0.00 … 1000000.00."), RegularExpression(Limits.PositiveAmountPattern)] string? Overdraft,
    [property: Description(Limits.ThresholdDoc), RegularExpression(Limits.AmountPattern)] string? ReconnectThreshold,
    [property: Description("A rate in [0, 1) with at most 4 decimals, e.g. \"0.05\"."), RegularExpression(@"^0(\.\d{1,4})?$")] string? ServiceFeeRate,
    bool? KeepOn,
    [property: Description("Tariff changes of the account's open meters."), MaxLength(Limits.MetersPerAccount)] List<MeterTariffDto>? Meters);

public sealed class UpdateAccountValidator : AbstractValidator<UpdateAccountRequest>
{
    const string ThresholdMessage = "Must be an amount from -1000000.00 to 1000000.00 with at most 2 decimals, e.g. \"20.00\".";

    public UpdateAccountValidator()
    {
        RuleFor(r => r.Alarm1).Must(a => Limits.IsAmount(a)).When(r => r.Alarm1 is not null).WithMessage(ThresholdMessage);
        RuleFor(r => r.Alarm2).Must(a => Limits.IsAmount(a)).When(r => r.Alarm2 is not null).WithMessage(ThresholdMessage);
        RuleFor(r => r.Overdraft).Must(o => Limits.IsAmount(o, minFen: 0)).When(r => r.Overdraft is not null)
            .WithMessage("Must be a non-negative amount up to 1000000.00 with at most 2 decimals.");
        RuleFor(r => r.ReconnectThreshold).Must(a => Limits.IsAmount(a)).When(r => r.ReconnectThreshold is not null).WithMessage(ThresholdMessage);
        RuleFor(r => r.ServiceFeeRate).Must(f => ApiFormat.TryDecimal(f, out var v) && v >= 0 && v < 1 && decimal.Round(v, 4) == v)
            .When(r => r.ServiceFeeRate is not null).WithMessage("Must be a rate in [0, 1) with at most 4 decimals, e.g. \"0.05\".");
        RuleFor(r => r.Meters).Must(ms => ms!.Count <= Limits.MetersPerAccount).When(r => r.Meters is not null)
            .WithMessage($"At most {Limits.MetersPerAccount} meters per account.");
        RuleForEach(r => r.Meters).NotNull().WithMessage("A meter cannot be null.");
        RuleForEach(r => r.Meters).ChildRules(m =>
        {
            m.RuleFor(x => x.MeterId).GreaterThan(0);
            m.RuleFor(x => x.TariffId).GreaterThan(0);
        });
        RuleFor(r => r.Meters).Must(ms => ms!.Where(m => m is not null).Select(m => m.MeterId).Distinct().Count() == ms!.Count(m => m is not null))
            .When(r => r.Meters is not null).WithMessage("A meter appears twice.");
    }
}
