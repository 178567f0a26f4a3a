namespace Prepaid.Engine;

public enum ChargePeriodKind { Month, Quarter, Year }

/// <summary>
/// One calendar period of an agreement, in site-local days with the end exclusive: the part the agreement covers,
/// and the day its charge falls due.
/// </summary>
/// <param name="Key">"2026-11" (month), "2026-Q4" (quarter) or "2026" (year): the period in the charge's key (R28).</param>
public sealed record ChargePeriod(string Key, DateOnly Start, DateOnly End, DateOnly CoveredFrom, DateOnly CoveredTo, DateOnly DueDay)
{
    public int Days => End.DayNumber - Start.DayNumber;

    public int CoveredDays => CoveredTo.DayNumber - CoveredFrom.DayNumber;

    /// <summary>Calendar months in the period: 1, 3 or 12.</summary>
    public int Months => MonthsTouched(Start, End.AddDays(-1));

    /// <summary>The calendar months the covered days touch, each counted whole (R34's months of service); 0 when none.</summary>
    public int CoveredMonths => CoveredDays == 0 ? 0 : MonthsTouched(CoveredFrom, CoveredTo.AddDays(-1));

    static int MonthsTouched(DateOnly first, DateOnly last) => (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
}

/// <summary>
/// R28: an agreement of an amount per calendar period (month, quarter, year) from <see cref="From"/> up to, not
/// including, <see cref="To"/> (open-ended when null). Days count like nights: from the first day charged to the first
/// day no longer charged. A period falls due on its <see cref="DueDay"/> (the day of its first month, the month's last
/// day when shorter), but never before the first day it covers nor after the last. A part period is charged pro rata
/// by days, or with <see cref="ByMonths"/> by the calendar months it touches, each counted whole: R34's annual reading
/// fee, whose first year is charged for its months of service (<see cref="ReadingFee"/>).
/// </summary>
public sealed record ChargeTerms(Money Amount, ChargePeriodKind Period, int DueDay, DateOnly From, DateOnly? To, bool ByMonths = false)
{
    /// <summary>
    /// The periods the agreement covers at least a day of, in order, starting before <paramref name="until"/> and not
    /// before <paramref name="startingAt"/>.
    /// </summary>
    public IEnumerable<ChargePeriod> Periods(DateOnly until, DateOnly startingAt = default)
    {
        var end = To is { } to && to < until ? to : until;
        var first = PeriodStart(Period, From);
        if (startingAt > first) first = PeriodStart(Period, startingAt);
        for (var start = first; start < end; start = Next(Period, start))
            if (At(start) is { CoveredDays: > 0 } p) yield return p;
    }

    /// <summary>The period that starts on <paramref name="start"/> as these terms cover it: possibly not at all.</summary>
    public ChargePeriod At(DateOnly start)
    {
        var next = Next(Period, start);
        var coveredFrom = From > start ? From : start;
        var coveredTo = To is { } t && t < next ? t : next;
        if (coveredTo <= coveredFrom) return new ChargePeriod(Key(Period, start), start, next, start, start, start);
        var due = start.AddDays(Math.Min(DueDay, DateTime.DaysInMonth(start.Year, start.Month)) - 1);
        if (due < coveredFrom) due = coveredFrom;
        if (due >= coveredTo) due = coveredTo.AddDays(-1);
        return new ChargePeriod(Key(Period, start), start, next, coveredFrom, coveredTo, due);
    }

    /// <summary>
    /// round(amount × days covered / days in the period), half away from zero (R4), in exact integers; by months:
    /// round(amount × months touched / months in the period).
    /// </summary>
    public Money AmountFor(ChargePeriod p) =>
        new(ByMonths ? RoundDiv(Amount.Fen * p.CoveredMonths, p.Months) : RoundDiv(Amount.Fen * p.CoveredDays, p.Days));

    /// <summary>The instant a period's charge is due: the start of its due day in the site's zone.</summary>
    public static DateTimeOffset DueAt(ChargePeriod p, TimeZoneInfo zone) => LocalClock.Start(p.DueDay.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>The site-local day an instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(LocalClock.Local(at, zone));

    public static DateOnly PeriodStart(ChargePeriodKind kind, DateOnly day) => kind switch
    {
        ChargePeriodKind.Month => new DateOnly(day.Year, day.Month, 1),
        ChargePeriodKind.Quarter => new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        _ => new DateOnly(day.Year, 1, 1),
    };

    public static DateOnly Next(ChargePeriodKind kind, DateOnly start) => kind switch
    {
        ChargePeriodKind.Month => start.AddMonths(1),
        ChargePeriodKind.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    static string Key(ChargePeriodKind kind, DateOnly start) => kind switch
    {
        ChargePeriodKind.Month => $"{start.Year:D4}-{start.Month:D2}",
        ChargePeriodKind.Quarter => $"{start.Year:D4}-Q{(start.Month - 1) / 3 + 1}",
        _ => $"{start.Year:D4}",
    };

    /// <summary>n / d rounded half away from zero, for n ≥ 0 and d &gt; 0.</summary>
    static long RoundDiv(long n, long d) => (2 * n + d) / (2 * d);
}
