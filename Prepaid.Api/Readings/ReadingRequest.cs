using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Readings;

public sealed record RegistersDto(
    [property: Description(RegistersValidator.RegisterDoc), RegularExpression(Limits.RegisterPattern)] string? Total,
    [property: Description(RegistersValidator.RegisterDoc + " Period registers come all four or none."), RegularExpression(Limits.RegisterPattern)] string? Sharp,
    [property: Description(RegistersValidator.RegisterDoc), RegularExpression(Limits.RegisterPattern)] string? Peak,
    [property: Description(RegistersValidator.RegisterDoc), RegularExpression(Limits.RegisterPattern)] string? Flat,
    [property: Description(RegistersValidator.RegisterDoc), RegularExpression(Limits.RegisterPattern)] string? Valley);

/// <summary>
/// One reading as a gateway, a script or an operator sends it: the meter by id or serial, an instant with offset, the
/// registers; <c>source</c> "manual" for a reading a person took (R31: the API records who and when), <c>power</c> the
/// instantaneous power in kW where the meter shows it (checked against the meter's overload limit).
/// </summary>
public sealed record ReadingDto(
    [property: Range(1, long.MaxValue)] long? MeterId,
    [property: MaxLength(Limits.Code)] string? Serial,
    [property: Description(Limits.InstantDoc), RegularExpression(Limits.InstantPattern)] string? At,
    RegistersDto? Registers,
    [property: Description("meter (default) or manual: read by a person, who is recorded with the time of entry (R31)."), RegularExpression("^(meter|manual)$")] string? Source = null,
    [property: Description(Limits.PowerDoc), RegularExpression(Limits.PowerPattern)] string? Power = null);

/// <summary>Registers: total required, the four period registers all or none, each non-negative with at most 3 decimals.</summary>
public sealed class RegistersValidator : AbstractValidator<RegistersDto>
{
    public const string RegisterDoc = "A register as a string, 0 … 999999999999.999, at most 3 decimals.";
    const string RegisterMessage = "Must be a non-negative number below 1000000000000 with at most 3 decimals.";
    const string AllOrNone = "Period registers come all four (sharp, peak, flat, valley) or none.";

    public RegistersValidator()
    {
        RuleFor(g => g.Total).NotEmpty().Must(BeRegister).WithMessage(RegisterMessage);
        RuleFor(g => g.Sharp).Must(BeRegister).When(g => g.Sharp is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Peak).Must(BeRegister).When(g => g.Peak is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Flat).Must(BeRegister).When(g => g.Flat is not null).WithMessage(RegisterMessage);
        RuleFor(g => g.Valley).Must(BeRegister).When(g => g.Valley is not null).WithMessage(RegisterMessage);
        // Some but not all: each of the four is named, whichever is at fault.
        RuleFor(g => g.Sharp).Must((g, _) => !Partial(g)).WithMessage(AllOrNone);
        RuleFor(g => g.Peak).Must((g, _) => !Partial(g)).WithMessage(AllOrNone);
        RuleFor(g => g.Flat).Must((g, _) => !Partial(g)).WithMessage(AllOrNone);
        RuleFor(g => g.Valley).Must((g, _) => !Partial(g)).WithMessage(AllOrNone);
    }

    static bool Partial(RegistersDto g) => new[] { g.Sharp, g.Peak, g.Flat, g.Valley }.Count(x => x is null) is not (0 or 4);

    public static bool BeRegister(string? text) =>
        ApiFormat.TryDecimal(text, out var v) && v >= 0 && v < 1_000_000_000_000m && decimal.Round(v, 3) == v;
}

public sealed class ReadingDtoValidator : AbstractValidator<ReadingDto>
{
    public ReadingDtoValidator()
    {
        RuleFor(r => r.MeterId).Must((r, id) => id is not null || !string.IsNullOrEmpty(r.Serial)).WithMessage("Give meterId or serial.");
        RuleFor(r => r.Serial).Must((r, serial) => r.MeterId is not null || !string.IsNullOrEmpty(serial)).WithMessage("Give meterId or serial.");
        RuleFor(r => r.MeterId).GreaterThan(0).When(r => r.MeterId is not null);
        RuleFor(r => r.Serial).MaximumLength(Limits.Code);
        RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage(ApiFormat.InstantRule);
        RuleFor(r => r.Registers).NotNull().SetValidator(new RegistersValidator()!);
        RuleFor(r => r.Source).Must(s => ReadingSources.Given.Contains(s)).When(r => r.Source is not null).WithMessage("Must be meter or manual.");
        RuleFor(r => r.Power).Must(Limits.IsPower).When(r => r.Power is not null).WithMessage(Limits.PowerRule);
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
