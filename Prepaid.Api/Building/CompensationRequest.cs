using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Api.Reports;

namespace Prepaid.Api.Building;

/// <summary>The utility's bill for the building's supply of one utility over [from, to) (R35).</summary>
public sealed record CompensationRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: Description("electricity, water or heat."), RegularExpression(Limits.UtilityPattern)] string? Utility,
    [property: Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? From,
    [property: Description(ReportQuery.BoundDoc + " After from."), MaxLength(ReportQuery.BoundMax)] string? To,
    [property: Description("The bill's amount in CNY, 0.00 … 1000000.00, at most 2 decimals."), RegularExpression(Limits.PositiveAmountPattern)] string? UtilityBill);

public sealed class CompensationValidator : AbstractValidator<CompensationRequest>
{
    public CompensationValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Utility).Must(u => ApiFormat.TryUtility(u, out _)).WithMessage("Must be electricity, water or heat.");
        RuleFor(r => r.From).NotEmpty().MaximumLength(ReportQuery.BoundMax);
        RuleFor(r => r.To).NotEmpty().MaximumLength(ReportQuery.BoundMax);
        RuleFor(r => r.UtilityBill).Must(b => Limits.IsAmount(b, minFen: 0)).WithMessage("Must be an amount from 0.00 to 1000000.00 with at most 2 decimals.");
    }
}
