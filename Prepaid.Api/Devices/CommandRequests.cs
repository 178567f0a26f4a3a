using FluentValidation;

namespace Prepaid.Api.Devices;

/// <summary>An operator's command to one meter. <c>payload</c> carries a pushed tariff or settings as given.</summary>
public sealed record CreateCommandRequest(string? Kind, System.Text.Json.JsonElement? Payload);

public sealed class CreateCommandValidator : AbstractValidator<CreateCommandRequest>
{
    public CreateCommandValidator()
    {
        RuleFor(r => r.Kind).Must(k => CommandKinds.All.Contains(k)).WithMessage($"Must be one of {string.Join(", ", CommandKinds.All)}.");
        RuleFor(r => r.Payload).Must((r, p) => CommandParameters.PayloadProblem(r.Kind, p) is null)
            .WithMessage(r => CommandParameters.PayloadProblem(r.Kind, r.Payload) ?? "");
    }
}

/// <summary>One command to many meters; progress per meter at GET /api/batches/{id}.</summary>
public sealed record CreateBatchRequest(long[]? MeterIds, CreateCommandRequest? Command);

public sealed class CreateBatchValidator : AbstractValidator<CreateBatchRequest>
{
    public CreateBatchValidator()
    {
        RuleFor(r => r.MeterIds).NotEmpty().Must(ids => ids!.Length <= 10_000).WithMessage("1 to 10,000 meters.");
        RuleForEach(r => r.MeterIds).GreaterThan(0);
        RuleFor(r => r.Command).NotNull();
        RuleFor(r => r.Command!.Kind).Must(k => CommandKinds.All.Contains(k)).When(r => r.Command is not null)
            .WithMessage($"Must be one of {string.Join(", ", CommandKinds.All)}.");
        RuleFor(r => r.Command!.Payload).Must((r, p) => CommandParameters.PayloadProblem(r.Command!.Kind, p) is null).When(r => r.Command is not null)
            .WithMessage(r => CommandParameters.PayloadProblem(r.Command!.Kind, r.Command.Payload) ?? "");
    }
}
