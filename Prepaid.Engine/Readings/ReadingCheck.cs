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

        if (raw.HasPeriods && Math.Abs(raw.PeriodSum - raw.Total) > meter.Resolution)
            return ReadingVerdict.Of(VerdictKind.Suspect, Invariant($"period registers moved {raw.PeriodSum}, total register moved {raw.Total}"));

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

    /// <summary>The periods in declaration order: the order the per-period dictionaries are filled in.</summary>
    private static readonly Period[] Periods = Enum.GetValues<Period>();

    /// <summary>
    /// Register deltas before the multiplier, so R8 and R11 compare register steps with register steps.
    /// A struct with the four period deltas inline (in Periods order): judging a reading allocates only the verdict.
    /// </summary>
    private readonly struct RawDelta
    {
        private readonly decimal sharp, peak, flat, valley;

        private RawDelta(decimal total, bool hasPeriods, decimal sharp, decimal peak, decimal flat, decimal valley, string? rejection) =>
            (Total, HasPeriods, this.sharp, this.peak, this.flat, this.valley, Rejection) = (total, hasPeriods, sharp, peak, flat, valley, rejection);

        public decimal Total { get; }
        public bool HasPeriods { get; }
        public string? Rejection { get; }

        public static RawDelta Rejected(string rejection) => new(0m, false, 0m, 0m, 0m, 0m, rejection);
        public static RawDelta TotalOnly(decimal total) => new(total, false, 0m, 0m, 0m, 0m, null);
        public static RawDelta WithPeriods(decimal total, decimal sharp, decimal peak, decimal flat, decimal valley) =>
            new(total, true, sharp, peak, flat, valley, null);

        /// <summary>Σ period deltas, added from 0m in Periods order (as Values.Sum() over the dictionary did).</summary>
        public decimal PeriodSum => 0m + sharp + peak + flat + valley;

        public ReadingVerdict Billed(decimal multiplier)
        {
            Dictionary<Period, decimal>? periods = null;
            if (HasPeriods)
            {
                periods = new Dictionary<Period, decimal>(Periods.Length);
                foreach (var p in Periods) periods.Add(p, this[p] * multiplier);
            }
            return new(VerdictKind.Billable, Total * multiplier, periods, null);
        }

        private decimal this[Period p] => p switch
        {
            Period.Sharp => sharp,
            Period.Peak => peak,
            Period.Flat => flat,
            _ => valley,
        };
    }

    private static RawDelta Measure(MeterSpec meter, Registers last, Registers reading)
    {
        if (Delta(last.Total, reading.Total, meter.RegisterMax) is not { } total)
            return RawDelta.Rejected(Invariant($"total went back from {last.Total} to {reading.Total}"));
        if (!last.HasPeriods || !reading.HasPeriods) return RawDelta.TotalOnly(total);

        Span<decimal> deltas = stackalloc decimal[4];
        for (var i = 0; i < Periods.Length; i++)
        {
            var p = Periods[i];
            if (Delta(last[p]!.Value, reading[p]!.Value, meter.RegisterMax) is not { } d)
                return RawDelta.Rejected(Invariant($"{p} register went back from {last[p]} to {reading[p]}"));
            deltas[i] = d;
        }
        return RawDelta.WithPeriods(total, deltas[0], deltas[1], deltas[2], deltas[3]);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
