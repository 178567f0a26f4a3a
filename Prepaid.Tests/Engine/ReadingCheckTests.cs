using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class ReadingCheckTests
{
    // 60 A × 230 V × 1 phase × 1.2 = 16.56 kWh per hour.
    private static readonly MeterSpec Meter = new(Utility.Electricity, 1m, 1_000_000m, MeterSpec.DefaultRatedMaxPerHour(Utility.Electricity), 0.01m);
    private static readonly DateTimeOffset T0 = Cst(2026, 3, 2, 8);

    private static ReadingVerdict Evaluate(Registers last, DateTimeOffset at, Registers reading, MeterSpec? meter = null) =>
        ReadingCheck.Evaluate(meter ?? Meter, T0, last, at, reading);

    [Fact] // R8 default
    public void DefaultRatedMaxPerHour_SinglePhase60A_Is16Point56()
    {
        Assert.Equal(16.56m, MeterSpec.DefaultRatedMaxPerHour(Utility.Electricity));
        Assert.Equal(6.0m, MeterSpec.DefaultRatedMaxPerHour(Utility.Water));
    }

    [Fact] // R6
    public void Evaluate_NoLastBilledReading_Baseline()
    {
        var verdict = ReadingCheck.Evaluate(Meter, null, null, T0, new Registers(1234.56m));

        Assert.Equal(VerdictKind.Baseline, verdict.Kind);
        Assert.Equal(0m, verdict.Quantity);
    }

    [Fact] // R6
    public void Evaluate_OnlyOneOfLastInstantAndRegisters_Throws() =>
        Assert.Throws<ArgumentException>(() => ReadingCheck.Evaluate(Meter, T0, null, T0.AddHours(1), new Registers(1m)));

    [Fact] // R6
    public void Evaluate_RegisterRose_BillableDelta()
    {
        var verdict = Evaluate(new Registers(100.00m), T0.AddDays(1), new Registers(112.34m));

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(12.34m, verdict.Quantity);
        Assert.Null(verdict.PeriodQuantities);
    }

    [Fact] // R14: the multiplier applies to the quantity; R8 judges the register step itself
    public void Evaluate_Multiplier40_QuantityIsDeltaTimes40()
    {
        var ct = Meter with { Multiplier = 40m };

        var verdict = Evaluate(new Registers(10.00m), T0.AddHours(1), new Registers(11.25m), ct);

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(50.00m, verdict.Quantity);
    }

    [Theory] // R7
    [InlineData("999990.00", "5.00", "15.00")]
    [InlineData("999999.99", "0.00", "0.01")]
    [InlineData("100.00", "100.00", "0")]
    [InlineData("100.00", "250.50", "150.50")]
    public void Delta_IncreaseOrRollover_Delta(string previous, string current, string delta) =>
        Assert.Equal(D(delta), ReadingCheck.Delta(D(previous), D(current), 1_000_000m));

    [Theory] // R7: a decrease of at most half the register is not a wrap
    [InlineData("100.00", "99.99")]
    [InlineData("500000", "0")]
    [InlineData("999990.00", "600000.00")]
    public void Delta_DecreaseNotRollover_Null(string previous, string current) =>
        Assert.Null(ReadingCheck.Delta(D(previous), D(current), 1_000_000m));

    [Fact] // R7: register_max is the meter's own
    public void Delta_FiveDigitRegister_WrapsAt100000() => Assert.Equal(3m, ReadingCheck.Delta(99_999m, 2m, 100_000m));

    [Fact] // R7
    public void Evaluate_RegisterWrapped_BillableRolloverDelta()
    {
        var verdict = Evaluate(new Registers(999_995.50m), T0.AddHours(2), new Registers(4.50m));

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(9.00m, verdict.Quantity);
    }

    [Fact] // R7
    public void Evaluate_RegisterWentBack_Rejected()
    {
        var verdict = Evaluate(new Registers(500.00m), T0.AddHours(2), new Registers(499.00m));

        Assert.Equal(VerdictKind.Rejected, verdict.Kind);
        Assert.Equal(0m, verdict.Quantity);
        Assert.NotNull(verdict.Reason);
    }

    [Theory] // R8: 2 h × 16.56 = 33.12 is the most a reading may move
    [InlineData("33.12", VerdictKind.Billable)]
    [InlineData("33.13", VerdictKind.Suspect)]
    public void Evaluate_DeltaAgainstRatedMaxTimesHours_SuspectAboveIt(string delta, VerdictKind kind)
    {
        var verdict = Evaluate(new Registers(100m), T0.AddHours(2), new Registers(100m + D(delta)));

        Assert.Equal(kind, verdict.Kind);
        if (kind == VerdictKind.Suspect)
        {
            Assert.Equal(0m, verdict.Quantity);
            Assert.NotNull(verdict.Reason);
        }
    }

    [Fact] // R8: a 30-minute interval allows half an hour's worth
    public void Evaluate_HalfHourAboveHalfRate_Suspect() =>
        Assert.Equal(VerdictKind.Suspect, Evaluate(new Registers(0m), T0.AddMinutes(30), new Registers(8.29m)).Kind);

    [Fact] // R8: a huge rollover delta is judged like any other
    public void Evaluate_RolloverDeltaTooLarge_Suspect() =>
        Assert.Equal(VerdictKind.Suspect, Evaluate(new Registers(999_000m), T0.AddHours(1), new Registers(500m)).Kind);

    [Fact] // R8: operator accepts what was held
    public void Accept_SuspectReading_BillsTheDeltaTimesMultiplier()
    {
        var verdict = ReadingCheck.Accept(Meter with { Multiplier = 2m }, new Registers(100m), new Registers(200m));

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(200m, verdict.Quantity);
    }

    [Fact] // R7 still holds on acceptance
    public void Accept_RegisterWentBack_Rejected() =>
        Assert.Equal(VerdictKind.Rejected, ReadingCheck.Accept(Meter, new Registers(100m), new Registers(90m)).Kind);

    [Fact] // R9
    public void Evaluate_SameInstantSameValues_Duplicate()
    {
        var verdict = ReadingCheck.Evaluate(Meter, T0, new Registers(112.3m, 1m, 2m, 3m, 4m), T0, new Registers(112.30m, 1.0m, 2m, 3m, 4m));

        Assert.Equal(VerdictKind.Duplicate, verdict.Kind);
        Assert.Null(verdict.Reason);
    }

    [Fact] // R9
    public void Evaluate_SameInstantDifferentValues_Conflict()
    {
        var verdict = ReadingCheck.Evaluate(Meter, T0, new Registers(112.30m), T0, new Registers(112.31m));

        Assert.Equal(VerdictKind.Conflict, verdict.Kind);
        Assert.NotNull(verdict.Reason);
    }

    [Fact] // R9: late even when its value would look fine
    public void Evaluate_OlderThanLastBilled_Late() =>
        Assert.Equal(VerdictKind.Late, ReadingCheck.Evaluate(Meter, T0, new Registers(100m), T0.AddSeconds(-1), new Registers(99m)).Kind);

    [Fact] // R9: replaying the same reading after it was billed changes nothing
    public void Evaluate_ReplayOfBilledReading_Duplicate()
    {
        var reading = new Registers(112.34m);
        var first = ReadingCheck.Evaluate(Meter, T0, new Registers(100m), T0.AddDays(1), reading);

        var replay = ReadingCheck.Evaluate(Meter, T0.AddDays(1), reading, T0.AddDays(1), reading);

        Assert.Equal(VerdictKind.Billable, first.Kind);
        Assert.Equal(VerdictKind.Duplicate, replay.Kind);
        Assert.Equal(0m, replay.Quantity);
    }

    [Fact] // R11
    public void Evaluate_PeriodRegisters_PerPeriodDeltas()
    {
        var last = new Registers(100.00m, Sharp: 10.00m, Peak: 30.00m, Flat: 40.00m, Valley: 20.00m);
        var now = new Registers(110.00m, Sharp: 11.00m, Peak: 33.50m, Flat: 43.00m, Valley: 22.50m);

        var verdict = Evaluate(last, T0.AddDays(1), now);

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(10.00m, verdict.Quantity);
        Assert.Equal(new Dictionary<Period, decimal> { [Period.Sharp] = 1m, [Period.Peak] = 3.5m, [Period.Flat] = 3m, [Period.Valley] = 2.5m },
            verdict.PeriodQuantities);
    }

    [Fact] // R11 + R14: period quantities carry the multiplier too
    public void Evaluate_PeriodRegistersWithMultiplier_PeriodQuantitiesMultiplied()
    {
        var last = new Registers(1m, 0m, 0m, 0m, 1m);
        var now = new Registers(2m, 0.25m, 0.25m, 0.25m, 1.25m);

        var verdict = Evaluate(last, T0.AddHours(1), now, Meter with { Multiplier = 20m });

        Assert.Equal(20m, verdict.Quantity);
        Assert.All(verdict.PeriodQuantities!.Values, q => Assert.Equal(5m, q));
    }

    [Theory] // R11: Σ periods = 10.00; the total may differ by one resolution step (0.01) and no more
    [InlineData("110.01", VerdictKind.Billable)]
    [InlineData("109.99", VerdictKind.Billable)]
    [InlineData("110.02", VerdictKind.Suspect)]
    [InlineData("109.98", VerdictKind.Suspect)]
    public void Evaluate_PeriodSumAgainstTotal_SuspectBeyondOneStep(string total, VerdictKind kind)
    {
        var last = new Registers(100.00m, 10m, 30m, 40m, 20m);
        var now = new Registers(D(total), 11m, 33.5m, 43m, 22.5m);

        Assert.Equal(kind, Evaluate(last, T0.AddDays(1), now).Kind);
    }

    [Fact] // R7 per period register
    public void Evaluate_PeriodRegisterWrapped_PeriodDeltaRollsOver()
    {
        var last = new Registers(999_999.00m, 999_998.00m, 1m, 0m, 0m);
        var now = new Registers(1.50m, 0.50m, 1m, 0m, 0m);

        var verdict = Evaluate(last, T0.AddHours(1), now);

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Equal(2.50m, verdict.Quantity);
        Assert.Equal(2.5m, verdict.PeriodQuantities![Period.Sharp]);
    }

    [Fact] // R11 suspect, since Σ periods = 3.00 against a total of 2.50
    public void Evaluate_PeriodSumDisagreesAfterRollover_Suspect()
    {
        var last = new Registers(999_999.00m, 999_998.00m, 1m, 0m, 0m);
        var now = new Registers(1.50m, 0.50m, 1m, 0m, 0m);
        var verdict = Evaluate(last with { Peak = 0.5m }, T0.AddHours(1), now);

        Assert.Equal(VerdictKind.Suspect, verdict.Kind);
    }

    [Fact] // R7 per period register
    public void Evaluate_PeriodRegisterWentBack_Rejected()
    {
        var last = new Registers(100m, 10m, 30m, 40m, 20m);
        var now = new Registers(101m, 11m, 29m, 41m, 20m);

        Assert.Equal(VerdictKind.Rejected, Evaluate(last, T0.AddHours(1), now).Kind);
    }

    [Fact] // R11: periods are compared only when both readings carry them
    public void Evaluate_OnlyNewReadingHasPeriods_NoPeriodQuantities()
    {
        var verdict = Evaluate(new Registers(100m), T0.AddHours(1), new Registers(101m, 1m, 0m, 0m, 0m));

        Assert.Equal(VerdictKind.Billable, verdict.Kind);
        Assert.Null(verdict.PeriodQuantities);
    }

    private static decimal D(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
