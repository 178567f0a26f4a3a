using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Devices;

/// <summary>An operator's command to one meter. <c>payload</c> carries a pushed tariff or settings as given.</summary>
public sealed record CreateCommandRequest(
    [property: Description("trip, close, keepOn, restorePrepaid, valveOpen, valveClose, pushTariff or pushSettings."), RegularExpression("^(trip|close|keepOn|restorePrepaid|valveOpen|valveClose|pushTariff|pushSettings)$")] string? Kind,
    [property: Description("pushTariff: {prices:{sharp, peak, flat, valley}}; pushSettings: {alarm1, alarm2}; a JSON object of at most 4096 characters.")] System.Text.Json.JsonElement? Payload);

public sealed class CreateCommandValidator : AbstractValidator<CreateCommandRequest>
{
    public CreateCommandValidator()
    {
        RuleFor(r => r.Kind).Must(k => CommandKinds.All.Contains(k)).WithMessage($"Must be one of {string.Join(", ", CommandKinds.All)}.");
        RuleFor(r => r.Payload).Cascade(CascadeMode.Stop).Must(Limits.IsSmallObject).WithMessage("Must be a JSON object of at most 4096 characters.")
            .Must((r, p) => CommandParameters.PayloadProblem(r.Kind, p) is null)
            .WithMessage(r => CommandParameters.PayloadProblem(r.Kind, r.Payload) ?? "");
    }
}

/// <summary>One command to many meters; progress per meter at GET /api/batches/{id}.</summary>
public sealed record CreateBatchRequest([property: MinLength(1), MaxLength(Limits.IdsPerList)] long[]? MeterIds, CreateCommandRequest? Command);

public sealed class CreateBatchValidator : AbstractValidator<CreateBatchRequest>
{
    public CreateBatchValidator()
    {
        RuleFor(r => r.MeterIds).Cascade(CascadeMode.Stop).NotEmpty().Must(ids => ids!.Length <= Limits.IdsPerList).WithMessage("1 to 10,000 meters.");
        RuleForEach(r => r.MeterIds).GreaterThan(0);
        RuleFor(r => r.Command).NotNull().SetValidator(new CreateCommandValidator()!);
    }
}
