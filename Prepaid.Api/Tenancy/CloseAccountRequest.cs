using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Readings;

namespace Prepaid.Api.Tenancy;

/// <summary>A meter's final reading at the move-out instant; no registers: the reading stored at that instant, or an estimate.</summary>
public sealed record FinalReadingDto([property: Range(1, long.MaxValue)] long MeterId, RegistersDto? Registers);

/// <summary>A meter of the next account with another tariff than the outgoing tenant's.</summary>
public sealed record MoveInTariffDto([property: Range(1, long.MaxValue)] long MeterId, [property: Range(1, long.MaxValue)] long TariffId);

/// <summary>
/// The next tenant, opened on the same meters from the final readings in the same call. Thresholds and fee rate default
/// to the outgoing account's, tariffs to its meters' tariffs.
/// </summary>
public sealed record MoveInDto(
    [property: Range(1, long.MaxValue)] long TenantId,
    [property: Description(Limits.ThresholdDoc), RegularExpression(Limits.AmountPattern)] string? Alarm1,
    [property: Description(Limits.ThresholdDoc + " Not above alarm1."), RegularExpression(Limits.AmountPattern)] string? Alarm2,
    [property: Description("An amount in CNY as a string with at most 2 decimals, 0.00 … 1000000.00."), RegularExpression(Limits.PositiveAmountPattern)] string? Overdraft,
    [property: Description(Limits.ThresholdDoc), RegularExpression(Limits.AmountPattern)] string? ReconnectThreshold,
    [property: Description("A rate in [0, 1) with at most 4 decimals, e.g. \"0.05\"."), RegularExpression(@"^0(\.\d{1,4})?$")] string? ServiceFeeRate,
    bool? KeepOn,
    [property: MaxLength(Limits.MetersPerAccount)] List<MoveInTariffDto>? Tariffs);

/// <summary>
/// R26: close an account at an instant. <c>preview: true</c> computes and answers everything, changes nothing.
/// </summary>
public sealed record CloseAccountRequest(
    [property: Description(Limits.InstantDoc + " Not later than now."), RegularExpression(Limits.InstantPattern)] string? At,
    [property: MaxLength(Limits.MetersPerAccount)] List<FinalReadingDto?>? FinalReadings,
    [property: Description("refund (through the channels the money came from, the rest in cash), cash, or carryDebt."), RegularExpression("^(refund|cash|carryDebt)$")] string? Settle,
    MoveInDto? MoveIn,
    [property: Description("true: answer the settlement without closing anything.")] bool? Preview);

public sealed class CloseAccountValidator : AbstractValidator<CloseAccountRequest>
{
    const string ThresholdMessage = "Must be an amount from -1000000.00 to 1000000.00 with at most 2 decimals, e.g. \"20.00\".";

    public CloseAccountValidator()
    {
        RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(r => r.Settle).Must(s => s is "refund" or "cash" or "carryDebt").WithMessage("Must be refund, cash or carryDebt.");
        RuleFor(r => r.FinalReadings).Must(f => f!.Count <= Limits.MetersPerAccount).When(r => r.FinalReadings is not null)
            .WithMessage($"At most {Limits.MetersPerAccount} final readings.");
        RuleForEach(r => r.FinalReadings).NotNull().WithMessage("A final reading cannot be null.");
        RuleForEach(r => r.FinalReadings).ChildRules(f =>
        {
            f.RuleFor(x => x!.MeterId).GreaterThan(0);
            f.RuleFor(x => x!.Registers).SetValidator(new RegistersValidator()!).When(x => x?.Registers is not null);
        });
        RuleFor(r => r.FinalReadings).Must(f => f!.Where(x => x is not null).Select(x => x!.MeterId).Distinct().Count() == f!.Count(x => x is not null))
            .When(r => r.FinalReadings is not null).WithMessage("A meter appears twice.");
        RuleFor(r => r.MoveIn).ChildRules(m =>
        {
            m.RuleFor(x => x!.TenantId).GreaterThan(0);
            m.RuleFor(x => x!.Alarm1).Must(a => Limits.IsAmount(a)).When(x => x!.Alarm1 is not null).WithMessage(ThresholdMessage);
            m.RuleFor(x => x!.Alarm2).Must(a => Limits.IsAmount(a)).When(x => x!.Alarm2 is not null).WithMessage(ThresholdMessage);
            m.RuleFor(x => x!.Overdraft).Must(o => Limits.IsAmount(o, minFen: 0)).When(x => x!.Overdraft is not null)
                .WithMessage("Must be a non-negative amount up to 1000000.00 with at most 2 decimals.");
            m.RuleFor(x => x!.ReconnectThreshold).Must(a => Limits.IsAmount(a)).When(x => x!.ReconnectThreshold is not null).WithMessage(ThresholdMessage);
            m.RuleFor(x => x!.ServiceFeeRate).Must(f => ApiFormat.TryDecimal(f, out var v) && v >= 0 && v < 1 && decimal.Round(v, 4) == v)
                .When(x => x!.ServiceFeeRate is not null).WithMessage("Must be a rate in [0, 1) with at most 4 decimals, e.g. \"0.05\".");
            m.RuleFor(x => x!.Tariffs).Must(t => t!.Count <= Limits.MetersPerAccount).When(x => x!.Tariffs is not null)
                .WithMessage($"At most {Limits.MetersPerAccount} tariffs.");
            m.RuleForEach(x => x!.Tariffs).NotNull().WithMessage("A tariff cannot be null.");
            m.RuleForEach(x => x!.Tariffs).ChildRules(t =>
            {
                t.RuleFor(x => x.MeterId).GreaterThan(0);
                t.RuleFor(x => x.TariffId).GreaterThan(0);
            });
        }).When(r => r.MoveIn is not null);
    }
}
