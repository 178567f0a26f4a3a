namespace Prepaid.Engine;

/// <summary>R6–R9 and the register check of R11: judges a reading against the meter's last billed one.</summary>
public static class ReadingCheck
{
    /// <summary>
    /// <paramref name="lastBilledAt"/>/<paramref name="lastBilled"/> are null when the meter has no baseline yet (R6).
    /// Same timestamp: Duplicate when identical, Conflict otherwise (R9). Older: Late (R9).
    /// Decrease: rollover per R7 or Rejected. Delta above RatedMaxPerHour × hours: Suspect (R8).
    /// Period registers on both readings: per-period deltas (each with R7), and Suspect when
    /// |Σ periods − total| exceeds one resolution step (R11).
    /// </summary>
    public static ReadingVerdict Evaluate(MeterSpec meter, DateTimeOffset? lastBilledAt, Registers? lastBilled, DateTimeOffset at, Registers reading)
        => throw new NotImplementedException();

    /// <summary>R7 for one register: the delta, or null when the decrease is not a rollover.</summary>
    public static decimal? Delta(decimal previous, decimal current, decimal registerMax)
        => throw new NotImplementedException();
}
