using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Readings;

namespace Prepaid.Api.Accounts;

public sealed record OpeningReadingDto([property: Description(Limits.InstantDoc), RegularExpression(Limits.InstantPattern)] string? At, RegistersDto? Registers);

public sealed record AccountMeterDto([property: Range(1, long.MaxValue)] long MeterId, [property: Range(1, long.MaxValue)] long TariffId, OpeningReadingDto? OpeningReading);

/// <summary>Opening an account (开户): one wallet for one or several meters (一户多表), with R16 thresholds and the R15 fee rate.</summary>
public sealed record OpenAccountRequest(
    [property: Range(1, long.MaxValue)] long TenantId,
    [property: Range(1, long.MaxValue)] long? RoomId,
    [property: MinLength(1), MaxLength(Limits.MetersPerAccount)] List<AccountMeterDto>? Meters,
    [property: Description(Limits.ThresholdDoc), RegularExpression(Limits.AmountPattern)] string? Alarm1,
    [property: Description(Limits.ThresholdDoc + " Not above alarm1."), RegularExpression(Limits.AmountPattern)] string? Alarm2,
    [property: Description("An amount in CNY as a string with at most 2 decimals, 0.00 … 1000000.00 (default 0)."), RegularExpression(Limits.PositiveAmountPattern)] string? Overdraft,
    [property: Description(Limits.ThresholdDoc + " Default 0."), RegularExpression(Limits.AmountPattern)] string? ReconnectThreshold,
    [property: Description("A rate in [0, 1) with at most 4 decimals, e.g. \"0.05\" (default 0)."), RegularExpression(@"^0(\.\d{1,4})?$")] string? ServiceFeeRate,
    bool KeepOn = false);

public sealed class OpenAccountValidator : AbstractValidator<OpenAccountRequest>
{
    const string ThresholdMessage = "Must be an amount from -1000000.00 to 1000000.00 with at most 2 decimals, e.g. \"20.00\".";

    public OpenAccountValidator()
    {
        RuleFor(r => r.TenantId).GreaterThan(0);
        RuleFor(r => r.RoomId).GreaterThan(0).When(r => r.RoomId is not null);
        RuleFor(r => r.Meters).NotEmpty();
        RuleFor(r => r.Meters).Must(ms => ms!.Count <= Limits.MetersPerAccount).When(r => r.Meters is not null)
            .WithMessage($"At most {Limits.MetersPerAccount} meters per account.");
        RuleForEach(r => r.Meters).NotNull().WithMessage("A meter cannot be null.");
        RuleForEach(r => r.Meters).ChildRules(m =>
        {
            m.RuleFor(x => x.MeterId).GreaterThan(0);
            m.RuleFor(x => x.TariffId).GreaterThan(0);
            m.RuleFor(x => x.OpeningReading).NotNull();
            m.RuleFor(x => x.OpeningReading!.At).Must(a => ApiFormat.TryInstant(a, out _)).When(x => x.OpeningReading is not null)
                .WithMessage(ApiFormat.InstantRule);
            m.RuleFor(x => x.OpeningReading!.Registers).NotNull().SetValidator(new RegistersValidator()!).When(x => x.OpeningReading is not null);
        });
        RuleFor(r => r.Meters).Must(ms => ms!.Where(m => m is not null).Select(m => m.MeterId).Distinct().Count() == ms!.Count(m => m is not null))
            .When(r => r.Meters is not null).WithMessage("A meter appears twice.");
        RuleFor(r => r.Alarm1).Must(a => Limits.IsAmount(a)).WithMessage(ThresholdMessage);
        RuleFor(r => r.Alarm2).Must(a => Limits.IsAmount(a)).WithMessage(ThresholdMessage);
        // Either threshold may be the wrong one: both are named.
        RuleFor(r => r.Alarm1).Must((r, a1) => ApiFormat.Fen(r.Alarm2!) <= ApiFormat.Fen(a1!))
            .When(r => Limits.IsAmount(r.Alarm1) && Limits.IsAmount(r.Alarm2)).WithMessage("Alarm 1 must not be below alarm 2.");
        RuleFor(r => r.Alarm2).Must((r, a2) => ApiFormat.Fen(a2!) <= ApiFormat.Fen(r.Alarm1!))
            .When(r => Limits.IsAmount(r.Alarm1) && Limits.IsAmount(r.Alarm2)).WithMessage("Alarm 2 must not be above alarm 1.");
        RuleFor(r => r.Overdraft).Must(o => Limits.IsAmount(o, minFen: 0)).When(r => r.Overdraft is not null)
            .WithMessage("Must be a non-negative amount up to 1000000.00 with at most 2 decimals.");
        RuleFor(r => r.ReconnectThreshold).Must(a => Limits.IsAmount(a)).When(r => r.ReconnectThreshold is not null).WithMessage(ThresholdMessage);
        RuleFor(r => r.ServiceFeeRate).Must(f => ApiFormat.TryDecimal(f, out var v) && v >= 0 && v < 1 && decimal.Round(v, 4) == v)
            .When(r => r.ServiceFeeRate is not null).WithMessage("Must be a rate in [0, 1) with at most 4 decimals, e.g. \"0.05\".");
    }
}
