using CsCheck;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

/// <summary>R28: amounts per calendar period, pro rata by days (round(amount × days / days in period), R4), due days.</summary>
public class ChargeTermsTests
{
    static readonly Money Rent = new(300_000);

    static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact] // the acceptance example: 3,000.00 a month from the 11th of a 31-day month is 21 days of 31
    public void MonthlyRent3000_FromThe11th_Bills2032_26ForTheRestOfA31DayMonth_R28()
    {
        var terms = new ChargeTerms(Rent, ChargePeriodKind.Month, 1, D(2026, 12, 11), null);
        var first = terms.Periods(D(2027, 1, 1)).Single();

        Assert.Equal("2026-12", first.Key);
        Assert.Equal(21, first.CoveredDays);
        Assert.Equal(31, first.Days);
        Assert.Equal(new Money(203_226), terms.AmountFor(first));
        // Due on the 1st, but never before the first day covered.
        Assert.Equal(D(2026, 12, 11), first.DueDay);
    }

    [Fact] // R28: whole periods are the whole amount, due on the due day (the month's last day when shorter)
    public void WholePeriods_AreTheAmount_DueOnTheDueDayCappedToTheMonth_R28()
    {
        var terms = new ChargeTerms(Rent, ChargePeriodKind.Month, 31, D(2026, 1, 1), D(2026, 4, 1));
        var periods = terms.Periods(D(2030, 1, 1)).ToList();

        Assert.Equal(["2026-01", "2026-02", "2026-03"], periods.Select(p => p.Key));
        Assert.All(periods, p => Assert.Equal(Rent, terms.AmountFor(p)));
        Assert.Equal([D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)], periods.Select(p => p.DueDay));
    }

    [Fact] // R28: a last period only partly covered is pro rata and falls due by its last covered day
    public void LastPeriodPartlyCovered_ProRata_DueByItsLastCoveredDay_R28()
    {
        var terms = new ChargeTerms(new Money(100_000), ChargePeriodKind.Month, 15, D(2026, 11, 1), D(2026, 12, 10));
        var last = terms.Periods(D(2027, 1, 1)).Last();

        Assert.Equal("2026-12", last.Key);
        Assert.Equal(9, last.CoveredDays);                       // 1st to 9th: the 10th is no longer charged
        Assert.Equal(new Money(29_032), terms.AmountFor(last));  // 1000 × 9 / 31 = 290.3225…
        Assert.Equal(D(2026, 12, 9), last.DueDay);              // the 15th is after the last day covered
    }

    [Theory] // R28: quarters and years are calendar periods with keys of their own
    [InlineData(ChargePeriodKind.Quarter, 2026, 5, 1, "2026-Q2", 91, 61)]  // 1 May – 30 Jun of Apr–Jun
    [InlineData(ChargePeriodKind.Year, 2028, 3, 1, "2028", 366, 306)]      // leap year from 1 March
    public void QuartersAndYears_CalendarPeriods_ProRataByDays_R28(ChargePeriodKind kind, int y, int m, int d, string key, int days, int covered)
    {
        var terms = new ChargeTerms(new Money(1_000_000), kind, 1, D(y, m, d), null);
        var first = terms.Periods(D(y + 2, 1, 1)).First();

        Assert.Equal(key, first.Key);
        Assert.Equal(days, first.Days);
        Assert.Equal(covered, first.CoveredDays);
        Assert.Equal(new Money((long)Math.Round(1_000_000m * covered / days, MidpointRounding.AwayFromZero)), terms.AmountFor(first));
    }

    [Theory] // R34's reading fee as an R28 charge: the first year by months of service (the start month counted whole), later years in full
    [InlineData(2026, 3, 15, 8_333)]   // March–December: 10 of 12 months of 100.00
    [InlineData(2026, 8, 1, 4_167)]    // August–December: 5 months, 41.666… → 41.67
    [InlineData(2026, 12, 31, 833)]    // one day of December is its month
    [InlineData(2026, 1, 1, 10_000)]
    public void ReadingFee_FirstYearByMonthsOfService_ThenWhole_R34_R28(int y, int m, int d, long firstFen)
    {
        var terms = new ChargeTerms(new Money(10_000), ChargePeriodKind.Year, 1, D(y, m, d), null, ByMonths: true);
        var periods = terms.Periods(D(y + 2, 1, 1)).ToList();

        Assert.Equal([$"{y}", $"{y + 1}"], periods.Select(p => p.Key));
        Assert.Equal(new Money(firstFen), terms.AmountFor(periods[0]));
        Assert.Equal(ReadingFee.ForYear(new Money(10_000), D(y, m, d), y), terms.AmountFor(periods[0]));
        Assert.Equal(new Money(10_000), terms.AmountFor(periods[1]));
    }

    [Fact] // R34: a device out of service in mid-year is charged for the months it touched that year
    public void ReadingFee_EndedInMidYear_ChargedForTheMonthsTouched_R34_R28()
    {
        var terms = new ChargeTerms(new Money(12_000), ChargePeriodKind.Year, 1, D(2026, 1, 1), D(2027, 4, 2), ByMonths: true);
        var last = terms.Periods(D(2030, 1, 1)).Last();

        Assert.Equal("2027", last.Key);
        Assert.Equal(new Money(4_000), terms.AmountFor(last)); // January–April: 4 months
    }

    [Fact] // R4 in R28: half a fen rounds away from zero
    public void HalfAFen_RoundsAwayFromZero_R28_R4()
    {
        // 0.31 × 15 / 30 = 0.155 → 0.16
        var terms = new ChargeTerms(new Money(31), ChargePeriodKind.Month, 1, D(2026, 11, 16), null);
        Assert.Equal(new Money(16), terms.AmountFor(terms.Periods(D(2026, 12, 1)).Single()));
    }

    [Fact] // R28: any agreement's periods tile its days exactly, none twice, and each charge is its days' share rounded once
    public void AnyAgreement_PeriodsTileItsDays_EachAmountIsTheRoundedShare_R28() =>
        Gen.Select(Gen.Long[1, 100_000_000], Gen.Int[0, 2], Gen.Int[1, 31], Gen.Int[0, 3000], Gen.Int[1, 1500].Nullable())
            .Sample((fen, kind, dueDay, start, length) =>
            {
                var from = D(2026, 1, 1).AddDays(start);
                DateOnly? to = length is { } l ? from.AddDays(l) : null;
                var terms = new ChargeTerms(new Money(fen), (ChargePeriodKind)kind, dueDay, from, to);
                var until = D(2036, 1, 1);
                var periods = terms.Periods(until).ToList();

                var end = to is { } t && t < until ? t : until;
                var expectedDays = end.DayNumber - from.DayNumber;
                Assert.Equal(expectedDays, periods.Sum(p => p.CoveredDays));
                for (var i = 1; i < periods.Count; i++) Assert.Equal(periods[i - 1].CoveredTo, periods[i].CoveredFrom);
                Assert.Equal(from, periods[0].CoveredFrom);
                Assert.All(periods, p =>
                {
                    Assert.InRange(p.DueDay, p.CoveredFrom, p.CoveredTo.AddDays(-1));
                    var exact = (decimal)fen * p.CoveredDays / p.Days;
                    Assert.Equal((long)decimal.Round(exact, 0, MidpointRounding.AwayFromZero), terms.AmountFor(p).Fen);
                });
                Assert.Equal(periods.Select(p => p.Key).Distinct().Count(), periods.Count);
            }, iter: 500);
}
