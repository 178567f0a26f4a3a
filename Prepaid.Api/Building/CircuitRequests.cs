using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Building;

/// <summary>A circuit (R32): a master meter and the sub-meters that should add up to it, water or electricity.</summary>
public sealed record CreateCircuitRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: Description("Shown in lists; default: the master meter's serial."), MaxLength(Limits.Name)] string? Name,
    [property: Range(1, long.MaxValue)] long MasterMeterId,
    [property: MinLength(1), MaxLength(CircuitLimits.SubMeters)] List<long>? SubMeterIds,
    [property: Description("The alarm threshold of |imbalance %|: above 0 up to 100, at most 2 decimals; default 5."), RegularExpression(@"^\d{1,3}(\.\d{1,2})?$")] string? ThresholdPct);

public static class CircuitLimits
{
    public const int SubMeters = 1000;

    /// <summary>At most a year of days or ten years of months per balance request.</summary>
    public const int Periods = 370;
}

public sealed class CreateCircuitValidator : AbstractValidator<CreateCircuitRequest>
{
    public CreateCircuitValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.MasterMeterId).GreaterThan(0);
        RuleFor(r => r.Name).MaximumLength(Limits.Name).Must(n => n!.Trim().Length > 0).When(r => r.Name is not null).WithMessage("Must not be blank.");
        RuleFor(r => r.SubMeterIds).NotEmpty().WithMessage("At least one sub-meter.");
        RuleFor(r => r.SubMeterIds).Must(s => s!.Count <= CircuitLimits.SubMeters).When(r => r.SubMeterIds is not null)
            .WithMessage($"At most {CircuitLimits.SubMeters} sub-meters.");
        // The entry at fault is named, not the list.
        RuleFor(r => r.SubMeterIds).Custom((ids, context) =>
        {
            if (ids is null) return;
            var seen = new HashSet<long>();
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] == context.InstanceToValidate.MasterMeterId) context.AddFailure($"subMeterIds[{i}]", "The master meter cannot be its own sub-meter.");
                else if (!seen.Add(ids[i])) context.AddFailure($"subMeterIds[{i}]", "A meter appears twice.");
            }
        });
        RuleForEach(r => r.SubMeterIds).GreaterThan(0);
        RuleFor(r => r.ThresholdPct).Must(t => Limits.IsDecimal(t, 0m, 100m, 2, minExclusive: true)).When(r => r.ThresholdPct is not null)
            .WithMessage("Must be above 0 and at most 100, with at most 2 decimals.");
    }
}
