namespace Prepaid.Engine;

/// <summary>One period of a circuit: its bounds and, when every meter has data for it, the quantities and the verdict.</summary>
public sealed record CircuitPeriod(DateTimeOffset From, DateTimeOffset To, decimal? Master, decimal? Subs, decimal? Imbalance, decimal? ImbalancePct, bool Alarm)
{
    public bool NoData => Master is null;
}

public enum BalanceStep { Day, Month }

/// <summary>R32: imbalance = master − Σ subs, imbalance % = imbalance / master × 100, an alarm when |imbalance %| exceeds the threshold.</summary>
public static class CircuitBalance
{
    public const decimal DefaultThresholdPct = 5m;

    /// <summary>
    /// The verdict for one period. The alarm compares |imbalance| × 100 with threshold × |master| (no division, so the
    /// boundary is exact); a master that read nothing has no percentage and alarms when the sub-meters read anything.
    /// Null quantities (a meter without data) give a "no data" period, never a zero.
    /// </summary>
    public static CircuitPeriod Evaluate(DateTimeOffset from, DateTimeOffset to, decimal? master, decimal? subs, decimal thresholdPct)
    {
        if (master is not { } m || subs is not { } s) return new CircuitPeriod(from, to, null, null, null, null, false);
        var imbalance = m - s;
        if (m == 0m) return new CircuitPeriod(from, to, m, s, imbalance, null, imbalance != 0m);
        var pct = imbalance * 100m / m;
        return new CircuitPeriod(from, to, m, s, imbalance, pct, Math.Abs(imbalance) * 100m > thresholdPct * Math.Abs(m));
    }

    /// <summary>The last whole site-local day before <paramref name="now"/>: the day a daily check judges.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) LastWholeDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = LocalClock.Local(now, zone).Date;
        return (LocalClock.Start(today.AddDays(-1), zone), LocalClock.Start(today, zone));
    }

    /// <summary>
    /// The site-local days or calendar months that cover [from, to), each [start, end) as instants; the first and last
    /// are cut at from and to. DST days are 23 or 25 hours long, as the wall clock says.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Periods(DateTimeOffset from, DateTimeOffset to, BalanceStep step, TimeZoneInfo zone)
    {
        var periods = new List<(DateTimeOffset, DateTimeOffset)>();
        var local = LocalClock.Local(from, zone);
        var boundary = step == BalanceStep.Day ? local.Date : new DateTime(local.Year, local.Month, 1);
        var start = from;
        while (start < to)
        {
            boundary = step == BalanceStep.Day ? boundary.AddDays(1) : boundary.AddMonths(1);
            var end = LocalClock.Start(boundary, zone);
            if (end > to) end = to;
            if (end > start) periods.Add((start, end));
            start = end;
        }
        return periods;
    }
}
