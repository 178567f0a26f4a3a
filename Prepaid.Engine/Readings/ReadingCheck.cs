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
    {
        if ((lastBilledAt is null) != (lastBilled is null))
            throw new ArgumentException("The last billed instant and registers come together or not at all.", nameof(lastBilled));
        if (lastBilledAt is not { } lastAt || lastBilled is null) return ReadingVerdict.Of(VerdictKind.Baseline);

        if (at == lastAt)
            return reading == lastBilled
                ? ReadingVerdict.Of(VerdictKind.Duplicate)
                : ReadingVerdict.Of(VerdictKind.Conflict, Invariant($"a different reading is stored for {lastAt:O}"));
        if (at < lastAt) return ReadingVerdict.Of(VerdictKind.Late, Invariant($"older than the last billed reading at {lastAt:O}"));

        var raw = Measure(meter, lastBilled, reading);
        if (raw.Rejection is { } rejection) return ReadingVerdict.Of(VerdictKind.Rejected, rejection);

        var hours = (decimal)(at - lastAt).Ticks / TimeSpan.TicksPerHour;
        if (raw.Total > meter.RatedMaxPerHour * hours)
            return ReadingVerdict.Of(VerdictKind.Suspect, Invariant($"delta {raw.Total} over {hours:0.##} h exceeds {meter.RatedMaxPerHour}/h"));

        if (raw.Periods is { } periods && Math.Abs(periods.Values.Sum() - raw.Total) > meter.Resolution)
            return ReadingVerdict.Of(VerdictKind.Suspect, Invariant($"period registers moved {periods.Values.Sum()}, total register moved {raw.Total}"));

        return raw.Billed(meter.Multiplier);
    }

    /// <summary>
    /// What a reading bills once an operator accepts it after R8 or R11 held it: the deltas (R7) times the multiplier (R14),
    /// without the plausibility checks. Rejected when a register went back without rolling over.
    /// </summary>
    public static ReadingVerdict Accept(MeterSpec meter, Registers lastBilled, Registers reading)
    {
        var raw = Measure(meter, lastBilled, reading);
        return raw.Rejection is { } rejection ? ReadingVerdict.Of(VerdictKind.Rejected, rejection) : raw.Billed(meter.Multiplier);
    }

    /// <summary>R7 for one register: the delta, or null when the decrease is not a rollover.</summary>
    public static decimal? Delta(decimal previous, decimal current, decimal registerMax)
    {
        if (current >= previous) return current - previous;
        if (previous - current > registerMax / 2) return current + registerMax - previous;
        return null;
    }

    /// <summary>Register deltas before the multiplier, so R8 and R11 compare register steps with register steps.</summary>
    private sealed record RawDelta(decimal Total, Dictionary<Period, decimal>? Periods, string? Rejection)
    {
        public ReadingVerdict Billed(decimal multiplier) => new(VerdictKind.Billable, Total * multiplier,
            Periods?.ToDictionary(p => p.Key, p => p.Value * multiplier), null);
    }

    private static RawDelta Measure(MeterSpec meter, Registers last, Registers reading)
    {
        if (Delta(last.Total, reading.Total, meter.RegisterMax) is not { } total)
            return new(0m, null, Invariant($"total went back from {last.Total} to {reading.Total}"));
        if (!last.HasPeriods || !reading.HasPeriods) return new(total, null, null);

        var periods = new Dictionary<Period, decimal>();
        foreach (var p in Enum.GetValues<Period>())
        {
            if (Delta(last[p]!.Value, reading[p]!.Value, meter.RegisterMax) is not { } d)
                return new(0m, null, Invariant($"{p} register went back from {last[p]} to {reading[p]}"));
            periods[p] = d;
        }
        return new(total, periods, null);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
