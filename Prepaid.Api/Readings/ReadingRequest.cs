using FluentValidation;
using Prepaid.Api.Common;

namespace Prepaid.Api.Readings;

public sealed record RegistersDto(string? Total, string? Sharp, string? Peak, string? Flat, string? Valley);

/// <summary>One reading as a gateway or script sends it: the meter by id or serial, an instant with offset, the registers.</summary>
public sealed record ReadingDto(long? MeterId, string? Serial, string? At, RegistersDto? Registers);

public sealed class ReadingDtoValidator : AbstractValidator<ReadingDto>
{
    public ReadingDtoValidator()
    {
        RuleFor(r => r).Must(r => r.MeterId is not null || !string.IsNullOrEmpty(r.Serial))
            .WithName("meterId").WithMessage("Give meterId or serial.");
        RuleFor(r => r.At).Must(a => ApiFormat.TryInstant(a, out _)).WithMessage("Must be an ISO 8601 instant with offset, e.g. 2026-11-23T08:00:00+08:00.");
        RuleFor(r => r.Registers).NotNull();
        When(r => r.Registers is not null, () =>
        {
            RuleFor(r => r.Registers!.Total).NotEmpty().Must(BeRegister).WithMessage(RegisterMessage);
            RuleFor(r => r.Registers!.Sharp).Must(BeRegister).When(r => r.Registers!.Sharp is not null).WithMessage(RegisterMessage);
            RuleFor(r => r.Registers!.Peak).Must(BeRegister).When(r => r.Registers!.Peak is not null).WithMessage(RegisterMessage);
            RuleFor(r => r.Registers!.Flat).Must(BeRegister).When(r => r.Registers!.Flat is not null).WithMessage(RegisterMessage);
            RuleFor(r => r.Registers!.Valley).Must(BeRegister).When(r => r.Registers!.Valley is not null).WithMessage(RegisterMessage);
            RuleFor(r => r.Registers!).Must(g => new[] { g.Sharp, g.Peak, g.Flat, g.Valley }.Count(x => x is null) is 0 or 4)
                .WithName("registers").WithMessage("Period registers come all four (sharp, peak, flat, valley) or none.");
        });
    }

    const string RegisterMessage = "Must be a non-negative number with at most 3 decimals.";

    public static bool BeRegister(string? text) =>
        ApiFormat.TryDecimal(text, out var v) && v >= 0 && v < 1_000_000_000_000m && decimal.Round(v, 3) == v;
}

public sealed class ReadingBatchValidator : AbstractValidator<List<ReadingDto>>
{
    public const int MaxBatch = 10_000;

    public ReadingBatchValidator()
    {
        RuleFor(b => b).NotEmpty().WithName("body").WithMessage("Send at least one reading.")
            .Must(b => b.Count <= MaxBatch).WithName("body").WithMessage($"At most {MaxBatch} readings per call.");
        RuleForEach(b => b).OverrideIndexer((List<ReadingDto> _, IEnumerable<ReadingDto> _, ReadingDto _, int i) => $"[{i}]")
            .NotNull().SetValidator(new ReadingDtoValidator());
    }
}
