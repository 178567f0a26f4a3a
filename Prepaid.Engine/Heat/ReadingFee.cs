namespace Prepaid.Engine;

/// <summary>
/// R34's annual reading fee per heat cost allocator or heat meter. In the year a device enters service it is charged for
/// the calendar months it serves, the month of its start counted whole: round(fee × months / 12) (R4); in later years in
/// full; before its start, nothing.
/// </summary>
public static class ReadingFee
{
    /// <summary>Months of service in <paramref name="year"/> for a device in service from <paramref name="start"/> (site-local date): 0–12.</summary>
    public static int MonthsOfService(DateOnly start, int year) =>
        year < start.Year ? 0 : year > start.Year ? 12 : 12 - start.Month + 1;

    public static Money ForYear(Money annualFee, DateOnly start, int year)
    {
        if (annualFee.Fen < 0) throw new ArgumentOutOfRangeException(nameof(annualFee), "A fee is never negative.");
        return Money.Round(annualFee.Yuan * MonthsOfService(start, year) / 12m);
    }
}
