using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.ServiceJournal;

/// <summary>One entry of a meter's service journal: what was done on which day (site time), and when calibration is due next.</summary>
public sealed record ServiceEntryRequest(
    [property: Description("installation, calibration, repair, replacement or other."), RegularExpression(ServiceEntryRequest.KindPattern)] string? Kind,
    [property: Description("The day of the work in the site's zone, yyyy-MM-dd."), RegularExpression(Limits.DayPattern)] string? Day,
    [property: MaxLength(Limits.Note)] string? Note,
    [property: Description("The next calibration (verification) due day in the site's zone, yyyy-MM-dd, not before day."), RegularExpression(Limits.DayPattern)] string? NextDueDay)
{
    public const string KindPattern = "^(installation|calibration|repair|replacement|other)$";
    public static readonly string[] Kinds = ["installation", "calibration", "repair", "replacement", "other"];
}

public sealed class ServiceEntryValidator : AbstractValidator<ServiceEntryRequest>
{
    public ServiceEntryValidator()
    {
        RuleFor(r => r.Kind).Must(k => ServiceEntryRequest.Kinds.Contains(k)).WithMessage("Must be installation, calibration, repair, replacement or other.");
        RuleFor(r => r.Day).Must(d => Limits.TryDay(d, out _)).WithMessage(Limits.DayRule);
        RuleFor(r => r.Note).MaximumLength(Limits.Note);
        RuleFor(r => r.NextDueDay).Must(d => Limits.TryDay(d, out _)).When(r => r.NextDueDay is not null)
            .WithMessage(Limits.DayRule);
        RuleFor(r => r.NextDueDay).Must((r, due) => !Limits.TryDay(r.Day, out var day) || !Limits.TryDay(due, out var next) || next >= day)
            .When(r => r.NextDueDay is not null).WithMessage("Must not be before day.");
    }
}
