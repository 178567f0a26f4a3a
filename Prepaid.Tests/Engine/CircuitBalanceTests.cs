using Prepaid.Engine;
using Xunit;

namespace Prepaid.Tests.Engine;

public class CircuitBalanceTests
{
    static readonly DateTimeOffset Day = new(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8));

    [Theory] // R32: sub-meters that sum to 95 % of the master are a 5 % imbalance: above a 4 % threshold, within 6 %
    [InlineData("4", true)]
    [InlineData("6", false)]
    [InlineData("5", false)] // "exceeds": exactly the threshold is no alarm
    public void SubMetersAt95Percent_AlarmAboveThresholdOnly_R32(string threshold, bool alarm)
    {
        var p = CircuitBalance.Evaluate(Day, Day.AddDays(1), 200m, 190m, decimal.Parse(threshold));
        Assert.Equal(10m, p.Imbalance);
        Assert.Equal(5m, p.ImbalancePct);
        Assert.Equal(alarm, p.Alarm);
    }

    [Fact] // R32: sub-meters reading more than the master are a negative imbalance, judged by its size
    public void NegativeImbalance_JudgedByAbsoluteValue_R32()
    {
        var p = CircuitBalance.Evaluate(Day, Day.AddDays(1), 100m, 106m, 5m);
        Assert.Equal(-6m, p.ImbalancePct);
        Assert.True(p.Alarm);
    }

    [Fact] // R32 with R30: a meter without data makes the period "no data", never a zero imbalance
    public void MissingQuantity_NoData_R32()
    {
        var p = CircuitBalance.Evaluate(Day, Day.AddDays(1), 100m, null, 5m);
        Assert.True(p.NoData);
        Assert.Null(p.Imbalance);
        Assert.False(p.Alarm);
    }

    [Fact] // R32: a master that read nothing has no percentage; sub-meters that read something then alarm
    public void ZeroMaster_NoPercentage_AlarmsWhenSubsRead_R32()
    {
        Assert.True(CircuitBalance.Evaluate(Day, Day.AddDays(1), 0m, 1m, 5m) is { ImbalancePct: null, Alarm: true });
        Assert.True(CircuitBalance.Evaluate(Day, Day.AddDays(1), 0m, 0m, 5m) is { ImbalancePct: null, Alarm: false });
    }

    [Fact] // R32: periods are the site's days and calendar months; a DST day is 23 hours long
    public void Periods_SiteLocalDaysAndMonths_R32()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var from = new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.FromHours(-5));
        var days = CircuitBalance.Periods(from, from.AddDays(3).AddHours(-1), BalanceStep.Day, ny);
        Assert.Equal([24, 23, 24], days.Select(d => (d.To - d.From).TotalHours));

        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var months = CircuitBalance.Periods(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)), BalanceStep.Month, shanghai);
        Assert.Equal(["2026-01-15", "2026-02-01", "2026-03-01"], months.Select(m => m.From.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd")));
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)), months[^1].To);
    }
}
