using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Readings;

public sealed record RegistersDto(string? Total, string? Sharp, string? Peak, string? Flat, string? Valley);

/// <summary>One reading as a gateway or script sends it: the meter by id or serial, an instant with offset, the registers.</summary>
public sealed record ReadingDto(long? MeterId, string? Serial, string? At, RegistersDto? Registers);

/// <summary>Registers: total required, the four period registers all or none, each non-negative with at most 3 decimals.</summary>
public sealed class RegistersValidator : AbstractValidator<RegistersDto>
{
    const string RegisterMessage = "Must be a non-negative number with at most 3 decimals.";

    public RegistersValidator()
    {
        RuleFor(g => g.Total).NotEmpty().Must(BeRegister).WithMessage(RegisterMessage);
        RuleFor(g => g.Sharp).Must(BeRegister).When(g => g.Sharp is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Peak).Must(BeRegister).When(g => g.Peak is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Flat).Must(BeRegister).When(g => g.Flat is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Valley).Must(BeRegister).When(g => g.Valley is not null).WithMessage(RegisterMessage);
        RuleFor(g => g).Must(g => new[] { g.Sharp, g.Peak, g.Flat, g.Valley }.Count(x => x is null) is 0 or 4)
            .OverridePropertyName("sharp").WithMessage("Period registers come all four (sharp, peak, flat, valley) or none.");
    }

    public static bool BeRegister(string? text) =>
        ApiFormat.TryDecimal(text, out var v) && v >= 0 && v < 1_000_000_000_000m && decimal.Round(v, 3) == v;
}

public sealed class ReadingDtoValidator : AbstractValidator<ReadingDto>
{
    public ReadingDtoValidator()
    {
        RuleFor(r => r).Must(r => r.MeterId is not null || !string.IsNullOrEmpty(r.Serial))
            .OverridePropertyName("meterId").WithMessage("Give meterId or serial.");
        RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage("Must be an ISO 8601 instant with offset, e.g. 2026-11-23T08:00:00+08:00.");
        RuleFor(r => r.Registers).NotNull().SetValidator(new RegistersValidator()!);
    }
}

/// <summary>A batch: at most 10,000 readings, each named by its index in the errors ("[3].at").</summary>
public static class ReadingBatch
{
    public const int MaxBatch = 10_000;
    static readonly ReadingDtoValidator Item = new();

    public static Dictionary<string, string[]> Validate(List<ReadingDto?> batch)
    {
        var errors = new Dictionary<string, string[]>();
        if (batch.Count == 0) errors["body"] = ["Send at least one reading."];
        if (batch.Count > MaxBatch) errors["body"] = [$"At most {MaxBatch} readings per call; this batch has {batch.Count}."];
        if (errors.Count > 0) return errors;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is not { } reading) { errors[$"[{i}]"] = ["A reading cannot be null."]; continue; }
            foreach (var g in Item.Validate(reading).Errors.GroupBy(e => Validation.Camel(e.PropertyName)))
                errors[$"[{i}].{g.Key}"] = g.Select(e => e.ErrorMessage).Distinct().ToArray();
        }
        return errors;
    }
}
