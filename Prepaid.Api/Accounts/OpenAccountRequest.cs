using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Readings;

namespace Prepaid.Api.Accounts;

public sealed record OpeningReadingDto(string? At, RegistersDto? Registers);

public sealed record AccountMeterDto(long MeterId, long TariffId, OpeningReadingDto? OpeningReading);

/// <summary>Opening an account (开户): one wallet for one or several meters (一户多表), with R16 thresholds and the R15 fee rate.</summary>
public sealed record OpenAccountRequest(long TenantId, long? RoomId, List<AccountMeterDto>? Meters, string? Alarm1, string? Alarm2,
    string? Overdraft, string? ReconnectThreshold, string? ServiceFeeRate, bool KeepOn = false);

public sealed class OpenAccountValidator : AbstractValidator<OpenAccountRequest>
{
    public OpenAccountValidator()
    {
        RuleFor(r => r.TenantId).GreaterThan(0);
        RuleFor(r => r.Meters).NotEmpty();
        RuleForEach(r => r.Meters).ChildRules(m =>
        {
            m.RuleFor(x => x.MeterId).GreaterThan(0);
            m.RuleFor(x => x.TariffId).GreaterThan(0);
            m.RuleFor(x => x.OpeningReading).NotNull();
            m.RuleFor(x => x.OpeningReading!.At).Must(a => ApiFormat.TryInstant(a, out _)).When(x => x.OpeningReading is not null)
                .WithMessage("Must be an ISO 8601 instant with offset.");
            m.RuleFor(x => x.OpeningReading!.Registers).NotNull().SetValidator(new RegistersValidator()!).When(x => x.OpeningReading is not null);
        });
        RuleFor(r => r.Meters).Must(ms => ms!.Select(m => m.MeterId).Distinct().Count() == ms!.Count).When(r => r.Meters is not null)
            .WithMessage("A meter appears twice.");
        RuleFor(r => r.Alarm1).Must(ApiFormat.IsAmount).WithMessage("Must be an amount such as \"20.00\".");
        RuleFor(r => r.Alarm2).Must(ApiFormat.IsAmount).WithMessage("Must be an amount such as \"10.00\".");
        RuleFor(r => r.Alarm2).Must((r, a2) => ApiFormat.Fen(a2!) <= ApiFormat.Fen(r.Alarm1!))
            .When(r => ApiFormat.IsAmount(r.Alarm1) && ApiFormat.IsAmount(r.Alarm2)).WithMessage("Alarm 2 must not be above alarm 1.");
        RuleFor(r => r.Overdraft).Must(o => ApiFormat.IsAmount(o) && ApiFormat.Fen(o!) >= 0).When(r => r.Overdraft is not null)
            .WithMessage("Must be a non-negative amount.");
        RuleFor(r => r.ReconnectThreshold).Must(ApiFormat.IsAmount).When(r => r.ReconnectThreshold is not null).WithMessage("Must be an amount.");
        RuleFor(r => r.ServiceFeeRate).Must(f => ApiFormat.TryDecimal(f, out var v) && v >= 0 && v < 1 && decimal.Round(v, 4) == v)
            .When(r => r.ServiceFeeRate is not null).WithMessage("Must be a rate in [0, 1) with at most 4 decimals, e.g. \"0.05\".");
    }
}
