using Prepaid.Engine;
using Xunit;

namespace Prepaid.Tests.Engine;

public class LeakTests
{
    static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Hourly readings from T0: the register grows by <paramref name="perHour"/>[i] in hour i.</summary>
    static List<(DateTimeOffset At, decimal Total)> Hourly(params decimal[] perHour)
    {
        var points = new List<(DateTimeOffset, decimal)> { (T0, 100m) };
        var total = 100m;
        for (var i = 0; i < perHour.Length; i++) points.Add((T0.AddHours(i + 1), total += perHour[i]));
        return points;
    }

    /// <summary>Runs the check every 10 minutes over the readings as they arrive, keeping the alarm as the platform does.</summary>
    static List<(DateTimeOffset At, LeakDecision Decision)> Replay(List<(DateTimeOffset At, decimal Total)> all, DateTimeOffset until, decimal volume = Leak.DefaultVolume)
    {
        var decisions = new List<(DateTimeOffset, LeakDecision)>();
        DateTimeOffset? open = null;
        for (var now = T0; now <= until; now = now.AddMinutes(10))
        {
            var seen = all.Where(p => p.At <= now).ToList();
            var d = Leak.Decide(seen, now, Shanghai, volume, open);
            if (d == LeakDecision.None) continue;
            decisions.Add((now, d));
            open = d == LeakDecision.Raise ? now : null;
        }
        return decisions;
    }

    [Fact] // R33: 30 hours of a small steady flow raise one alarm, after the 24th whole hour; an hour without flow clears it
    public void SteadyFlow_RaisesOnceAfter24WholeHours_ClearsOnAQuietHour_R33()
    {
        var flow = Enumerable.Repeat(0.030m, 30).Append(0m).Append(0.030m).ToArray(); // 24 × 0.030 = 0.720 ≥ 0.480
        var decisions = Replay(Hourly(flow), T0.AddHours(33));

        Assert.Equal([(T0.AddHours(24), LeakDecision.Raise), (T0.AddHours(31), LeakDecision.Clear)], decisions);
    }

    [Fact] // R33: 24 hours of flow that add up to less than the leak volume are no leak
    public void FlowBelowLeakVolume_NoAlarm_R33()
    {
        var flow = Enumerable.Repeat(0.019m, 30).ToArray(); // 24 × 0.019 = 0.456 < 0.480
        Assert.Empty(Replay(Hourly(flow), T0.AddHours(30)));
        Assert.Single(Replay(Hourly(flow), T0.AddHours(30), volume: 0.456m));
    }

    [Fact] // R33: one quiet hour among the 24 is no leak: each hour must show a positive delta
    public void OneQuietHourInTheDay_NoAlarm_R33()
    {
        var flow = Enumerable.Repeat(0.5m, 30).ToArray();
        flow[12] = 0m;
        Assert.Equal([(T0.AddHours(37), LeakDecision.Raise)], Replay(Hourly([.. flow, .. Enumerable.Repeat(0.5m, 8)]), T0.AddHours(38)));
    }

    [Fact] // R33 with R30: a meter read once a day shows no hour at all, so interpolation never makes a leak of a day's use
    public void DailyReadings_NoHourHasData_NoAlarm_R33()
    {
        var daily = Enumerable.Range(0, 5).Select(d => (T0.AddDays(d).AddHours(7), 100m + d * 2m)).ToList();
        Assert.Empty(Replay(daily, T0.AddDays(4).AddHours(8)));
        Assert.Null(PeriodQuantity.Of(daily, T0.AddDays(1), T0.AddDays(1).AddHours(1)));
    }

    [Fact] // R33: an hour without readings neither clears an open alarm nor counts as flow
    public void OpenAlarm_HourWithoutData_DoesNotClear_R33()
    {
        var points = Hourly(Enumerable.Repeat(0.1m, 25).ToArray());
        points.RemoveAll(p => p.At == T0.AddHours(26)); // silence from hour 25 on
        Assert.Equal(LeakDecision.None, Leak.Decide(points, T0.AddHours(27.5), Shanghai, Leak.DefaultVolume, T0.AddHours(24)));
    }

    [Fact] // R33 with R7: a register that rolls over during the leak still shows positive hours
    public void Rollover_UnwrappedBeforeHours_R33()
    {
        var points = Enumerable.Range(0, 26).Select(h => (T0.AddHours(h), (999_999.5m + h * 0.1m) % 1_000_000m)).ToList();
        Assert.Equal(LeakDecision.Raise, Leak.Decide(Apportion.Unwrap(points, 1_000_000m), T0.AddHours(25.2), Shanghai, Leak.DefaultVolume, null));
    }
}
