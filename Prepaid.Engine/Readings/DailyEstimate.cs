namespace Prepaid.Engine;

/// <summary>
/// R30: a meter's average daily consumption from its real readings, and the estimated readings it gives.
/// The window is the 30 local days before the day (or instant) estimated; at least 7 of them must hold a real reading,
/// else there is no estimate. The average is the register advance between the window's first and last real reading
/// (each step unwrapped as R7 says) over the time between them, so a gap inside the window neither inflates nor
/// dilutes it. Everything is in register steps, before the multiplier, like R8's limit.
/// </summary>
public static class DailyEstimate
{
    public const int WindowDays = 30;
    public const int MinDaysWithReadings = 7;

    /// <summary>The first instant of a local day in the site's zone (after a spring-forward gap where midnight is missing).</summary>
    public static DateTimeOffset DayStart(DateOnly day, TimeZoneInfo zone) => LocalClock.Start(day.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>The local day an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(LocalClock.Local(at, zone));

    /// <summary>Where the estimated reading of a day sits: the day's last millisecond, so it belongs to that day.</summary>
    public static DateTimeOffset EstimateInstant(DateOnly day, TimeZoneInfo zone) => DayStart(day.AddDays(1), zone).AddMilliseconds(-1);

    /// <summary>The readings R30 averages for an estimate up to <paramref name="to"/>: from the start of the local day 30 days
    /// before <paramref name="to"/>'s day, up to (not including) <paramref name="to"/>.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset to, TimeZoneInfo zone) =>
        (DayStart(DayOf(to, zone).AddDays(-WindowDays), zone), to);

    /// <summary>
    /// The average register advance per day of the real readings given (in time order, all inside one window), or null
    /// when fewer than <see cref="MinDaysWithReadings"/> local days hold one. A decrease that is not a rollover (a register
    /// reset, a swapped meter) contributes nothing.
    /// </summary>
    public static decimal? AverageDailyStep(MeterSpec meter, IReadOnlyList<(DateTimeOffset At, Registers Registers)> readings, TimeZoneInfo zone)
    {
        if (readings.Select(r => DayOf(r.At, zone)).Distinct().Count() < MinDaysWithReadings) return null;
        var elapsed = readings[^1].At - readings[0].At;
        if (elapsed <= TimeSpan.Zero) return null;
        var advance = 0m;
        for (var i = 1; i < readings.Count; i++)
            advance += ReadingCheck.Delta(readings[i - 1].Registers.Total, readings[i].Registers.Total, meter.RegisterMax) ?? 0m;
        return advance * TimeSpan.TicksPerDay / elapsed.Ticks;
    }

    /// <summary>
    /// The registers <paramref name="days"/> days of average consumption after <paramref name="previous"/>: the total advanced by
    /// the step rounded to the meter's resolution (half away from zero), wrapping at the register maximum (R7). Total only:
    /// no period split is invented.
    /// </summary>
    public static Registers After(MeterSpec meter, Registers previous, decimal averageDailyStep, decimal days)
    {
        var step = decimal.Round(averageDailyStep * days / meter.Resolution, 0, MidpointRounding.AwayFromZero) * meter.Resolution;
        var total = previous.Total + step;
        if (total >= meter.RegisterMax) total -= meter.RegisterMax;
        return new Registers(total);
    }
}
