namespace Prepaid.Engine;

public enum VerdictKind { Baseline, Billable, Duplicate, Conflict, Late, Suspect, Rejected }

/// <summary>What R6–R9 and R11's register check say of one reading.</summary>
/// <param name="Quantity">Billable quantity after multiplier (R14); zero unless Billable.</param>
/// <param name="PeriodQuantities">Per-period billable quantities (after multiplier) when both readings carry period registers.</param>
public sealed record ReadingVerdict(VerdictKind Kind, decimal Quantity, IReadOnlyDictionary<Period, decimal>? PeriodQuantities, string? Reason)
{
    public static ReadingVerdict Of(VerdictKind kind, string? reason = null) => new(kind, 0m, null, reason);
}
