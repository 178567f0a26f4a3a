using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

/// <summary>R30's arithmetic: the window, the seven-day condition, the average over time, rounding and rollover.</summary>
public class DailyEstimateTests
{
    static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    static readonly MeterSpec Meter = new(Utility.Electricity, 1m, 1_000_000m, 100m, 0.01m);

    static (DateTimeOffset, Registers) R(int day, int hour, decimal total) => (new DateTimeOffset(2026, 11, day, hour, 0, 0, TimeSpan.FromHours(8)), new Registers(total));

    [Fact]
    public void AverageDailyStep_NeedsSevenLocalDaysWithReadings_R30()
    {
        var six = Enumerable.Range(1, 6).Select(d => R(d, 12, 10m * d)).ToList();
        Assert.Null(DailyEstimate.AverageDailyStep(Meter, six, Shanghai));
        // Two readings on one local day count once; the seventh day makes it.
        Assert.Null(DailyEstimate.AverageDailyStep(Meter, [.. six, R(6, 20, 63m)], Shanghai));
        Assert.Equal(10m, DailyEstimate.AverageDailyStep(Meter, [.. six, R(7, 12, 70m)], Shanghai));
    }

    [Fact]
    public void AverageDailyStep_IsTheAdvanceOverTheTimeBetween_SoAGapNeitherInflatesNorDilutesIt_R30()
    {
        // 7 days with readings, a 10-day gap in between: 170 kWh over 17 days is 10 a day.
        List<(DateTimeOffset, Registers)> readings = [R(1, 0, 0m), R(2, 0, 10m), R(3, 0, 20m), R(4, 0, 30m), R(14, 0, 130m), R(16, 0, 150m), R(18, 0, 170m)];
        Assert.Equal(10m, DailyEstimate.AverageDailyStep(Meter, readings, Shanghai));
    }

    [Fact]
    public void AverageDailyStep_UnwrapsARollover_AndIgnoresADecrease_R30_R7()
    {
        var small = Meter with { RegisterMax = 1000m };
        List<(DateTimeOffset, Registers)> rolled = [R(1, 0, 980m), R(2, 0, 990m), R(3, 0, 0m), R(4, 0, 10m), R(5, 0, 20m), R(6, 0, 30m), R(7, 0, 40m), R(8, 0, 50m)];
        Assert.Equal(10m, DailyEstimate.AverageDailyStep(small, rolled, Shanghai));
        List<(DateTimeOffset, Registers)> reset = [R(1, 0, 100m), R(2, 0, 110m), R(3, 0, 105m), R(4, 0, 115m), R(5, 0, 125m), R(6, 0, 135m), R(7, 0, 145m), R(8, 0, 155m)];
        Assert.Equal(60m / 7m, DailyEstimate.AverageDailyStep(Meter, reset, Shanghai));
    }

    [Fact]
    public void After_RoundsTheStepToTheResolution_AndWrapsAtTheRegisterMaximum_R30()
    {
        Assert.Equal(new Registers(110.53m), DailyEstimate.After(Meter, new Registers(100m, 1m, 2m, 3m, 4m), 10.525m, 1m));
        Assert.Equal(new Registers(135m), DailyEstimate.After(Meter, new Registers(100m), 10m, 3.5m));
        Assert.Equal(new Registers(5m), DailyEstimate.After(Meter with { RegisterMax = 1000m }, new Registers(995m), 10m, 1m));
    }

    [Fact]
    public void WindowAndInstant_AreLocalDays_R30()
    {
        var day = new DateOnly(2026, 11, 12);
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 23, 59, 59, 999, TimeSpan.FromHours(8)), DailyEstimate.EstimateInstant(day, Shanghai));
        var (from, to) = DailyEstimate.Window(DailyEstimate.DayStart(day, Shanghai), Shanghai);
        Assert.Equal(new DateTimeOffset(2026, 10, 13, 0, 0, 0, TimeSpan.FromHours(8)), from);
        Assert.Equal(new DateTimeOffset(2026, 11, 12, 0, 0, 0, TimeSpan.FromHours(8)), to);
        Assert.Equal(day, DailyEstimate.DayOf(new DateTimeOffset(2026, 11, 11, 16, 0, 0, TimeSpan.Zero), Shanghai));
    }
}
