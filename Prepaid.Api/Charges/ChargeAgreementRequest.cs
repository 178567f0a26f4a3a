using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Charges;

/// <summary>
/// R28: a recurring charge on an account (rent 房租, property fee 物业费, a fixed service fee): an amount per calendar
/// period, due on a day of the period, from a first day up to (not including) an optional end day. R34's annual reading
/// fee per heat cost allocator or heat meter is a yearly agreement of kind readingFee, its first year charged by months
/// of service instead of days.
/// </summary>
public sealed record CreateChargeRequest(
    [property: Range(1, long.MaxValue)] long AccountId,
    [property: Description("rent, propertyFee, serviceFee, readingFee (R34, yearly, first year by months of service) or other."), RegularExpression(ChargeKinds.Pattern)] string? Kind,
    [property: MaxLength(Limits.Name)] string? Name,
    [property: Description(Limits.AmountDoc + " Per period."), RegularExpression(Limits.PositiveAmountPattern)] string? Amount,
    [property: Description("month, quarter or year (calendar periods in the site's zone)."), RegularExpression("^(month|quarter|year)$")] string? Period,
    [property: Description("1 … 31: the day of the period's first month the charge falls due (its last day when the month is shorter)."), Range(1, 31)] int? DueDay,
    [property: Description(ChargeDays.DayDoc + " The first day charged."), RegularExpression(Limits.DayPattern)] string? From,
    [property: Description(ChargeDays.DayDoc + " The first day no longer charged; none: open-ended."), RegularExpression(Limits.DayPattern)] string? To,
    [property: Description("false: arrears from this charge never trip the meters (default true).")] bool? TripsOnArrears,
    [property: MaxLength(Limits.Key), Description("Printable ASCII without spaces; or the Idempotency-Key header.")] string? IdempotencyKey);

public static class ChargeKinds
{
    public const string Pattern = "^(rent|propertyFee|serviceFee|readingFee|other)$";

    /// <summary>The posting kind a charge's postings carry, and the site ledger account its income goes to (R21).</summary>
    public static (string PostingKind, string IncomeLedger) Of(string kind) => kind switch
    {
        "rent" => ("rent", Ledger.SiteLedger.RentIncome),
        "propertyFee" => ("property_fee", Ledger.SiteLedger.PropertyFeeIncome),
        "serviceFee" => ("service_fee", Ledger.SiteLedger.ChargesIncome),
        "readingFee" => ("reading_fee", Ledger.SiteLedger.ChargesIncome),
        _ => ("other_charge", Ledger.SiteLedger.ChargesIncome),
    };

    public static readonly string[] PostingKinds = ["rent", "property_fee", "service_fee", "reading_fee", "other_charge"];
}

public static class ChargeDays
{
    public const string DayDoc = "A day yyyy-MM-dd in the site's zone, 2000-01-01 … 2099-12-31.";

    public static bool TryParse(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && Limits.InRange(day);

    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class CreateChargeValidator : AbstractValidator<CreateChargeRequest>
{
    public CreateChargeValidator()
    {
        RuleFor(r => r.AccountId).GreaterThan(0);
        RuleFor(r => r.Kind).Must(k => k is "rent" or "propertyFee" or "serviceFee" or "readingFee" or "other").WithMessage("Must be rent, propertyFee, serviceFee, readingFee or other.");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.Amount).Must(a => Limits.IsAmount(a, minFen: 1))
            .WithMessage("Must be a positive amount with at most two decimals, up to 1000000.00, e.g. \"3000.00\".");
        RuleFor(r => r.Period).Must(p => p is "month" or "quarter" or "year").WithMessage("Must be month, quarter or year.");
        RuleFor(r => r.Period).Must(p => p == "year").When(r => r.Kind == "readingFee" && r.Period is ("month" or "quarter"))
            .WithMessage("A reading fee is annual: must be year.");
        RuleFor(r => r.DueDay).NotNull().InclusiveBetween(1, 31);
        RuleFor(r => r.From).Must(f => ChargeDays.TryParse(f, out _)).WithMessage("Must be a day yyyy-MM-dd from 2000-01-01 to 2099-12-31.");
        RuleFor(r => r.To).Must(t => ChargeDays.TryParse(t, out _)).When(r => r.To is not null).WithMessage("Must be a day yyyy-MM-dd from 2000-01-01 to 2099-12-31.");
        RuleFor(r => r.To).Must((r, t) => ChargeDays.Parse(t!) > ChargeDays.Parse(r.From!))
            .When(r => ChargeDays.TryParse(r.From, out _) && ChargeDays.TryParse(r.To, out _)).WithMessage("Must be later than from: the first day no longer charged.");
        RuleFor(r => r.IdempotencyKey).MaximumLength(Limits.Key).Matches("^[\\x21-\\x7E]+$").When(r => r.IdempotencyKey is not null)
            .WithMessage(IdempotencyKey.Rule);
    }
}

/// <summary>Runs the charges due up to an instant, as the job does (R28).</summary>
public sealed record RunChargesRequest([property: Description(Limits.InstantDoc + " Not later than now."), RegularExpression(Limits.InstantPattern)] string? At);

public sealed class RunChargesValidator : AbstractValidator<RunChargesRequest>
{
    public RunChargesValidator() => RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage(ApiFormat.InstantRule);
}
