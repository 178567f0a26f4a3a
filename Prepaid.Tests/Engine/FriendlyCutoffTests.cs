using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class FriendlyCutoffTests
{
    private static readonly FriendlyCutoff Nights = new(new(22, 0), new(7, 0), false, new HashSet<DateOnly>());
    private static readonly FriendlyCutoff NightsAndWeekends = Nights with { Weekends = true };

    [Fact] // R16
    public void NextAllowed_NoWindow_Now() =>
        Assert.Equal(Cst(2026, 3, 4, 23, 30), FriendlyCutoff.None.NextAllowed(Cst(2026, 3, 4, 23, 30), Shanghai));

    [Fact] // R16
    public void NextAllowed_WeekdayAfternoon_Now() =>
        Assert.Equal(Cst(2026, 3, 4, 15), NightsAndWeekends.NextAllowed(Cst(2026, 3, 4, 15), Shanghai));

    [Theory] // R16: the night wraps midnight (22:00–07:00)
    [InlineData(22, 0, 5)]
    [InlineData(23, 30, 5)]
    public void NextAllowed_LateEvening_NextMorningSeven(int hour, int minute, int expectedDay) =>
        Assert.Equal(Cst(2026, 3, expectedDay, 7), Nights.NextAllowed(Cst(2026, 3, 4, hour, minute), Shanghai));

    [Fact] // R16: after midnight the same night is still open
    public void NextAllowed_EarlyMorning_SevenTheSameDay() =>
        Assert.Equal(Cst(2026, 3, 5, 7), Nights.NextAllowed(Cst(2026, 3, 5, 3), Shanghai));

    [Fact] // R16: 07:00 itself is allowed, 21:59 too
    public void NextAllowed_AtTheWindowEdges_Now()
    {
        Assert.Equal(Cst(2026, 3, 5, 7), Nights.NextAllowed(Cst(2026, 3, 5, 7), Shanghai));
        Assert.Equal(Cst(2026, 3, 5, 21, 59), Nights.NextAllowed(Cst(2026, 3, 5, 21, 59), Shanghai));
    }

    [Fact] // R16: Saturday morning waits for Monday 07:00, as Monday 00:00–07:00 is night
    public void NextAllowed_SaturdayMorning_MondaySeven() =>
        Assert.Equal(Cst(2026, 3, 9, 7), NightsAndWeekends.NextAllowed(Cst(2026, 3, 7, 10), Shanghai));

    [Fact] // R16: weekends without nights end at Monday 00:00
    public void NextAllowed_SundayNoNightWindow_MondayMidnight() =>
        Assert.Equal(Cst(2026, 3, 9), (FriendlyCutoff.None with { Weekends = true }).NextAllowed(Cst(2026, 3, 8, 12), Shanghai));

    [Fact] // R16: National Day week (Thu 1 – Wed 7 October) then Thursday's night
    public void NextAllowed_EveBeforeHolidayWeek_MorningAfterTheHolidays()
    {
        var holidays = new HashSet<DateOnly>(Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d)));
        var cutoff = NightsAndWeekends with { Holidays = holidays };

        Assert.Equal(Cst(2026, 10, 8, 7), cutoff.NextAllowed(Cst(2026, 9, 30, 23), Shanghai));
    }

    [Fact] // R16: a holiday alone, in daytime
    public void NextAllowed_HolidayNoon_NextMidnight()
    {
        var cutoff = FriendlyCutoff.None with { Holidays = new HashSet<DateOnly> { new(2026, 5, 1) } };

        Assert.Equal(Cst(2026, 5, 2), cutoff.NextAllowed(Cst(2026, 5, 1, 12), Shanghai));
    }

    [Fact] // R16: the night ends at 02:30, which does not exist on 29 March in Berlin; the trip waits for 03:00 CEST
    public void NextAllowed_NightEndInDstGap_EndOfTheGap()
    {
        var cutoff = FriendlyCutoff.None with { NightFrom = new(22, 0), NightTo = new(2, 30) };
        var now = new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(Utc(2026, 3, 29, 1), cutoff.NextAllowed(now, Berlin));
    }

    [Fact] // R16: nights are local: 23:00 in Shanghai is 16:00 in Berlin
    public void NextAllowed_SameInstantOtherZone_NotNight()
    {
        var now = Cst(2026, 3, 4, 23);

        Assert.Equal(Cst(2026, 3, 5, 7), Nights.NextAllowed(now, Shanghai));
        Assert.Equal(now, Nights.NextAllowed(now, Berlin));
    }

    [Fact] // R16
    public void BlocksTrip_SaturdayWithWeekends_True()
    {
        Assert.True(NightsAndWeekends.BlocksTrip(Cst(2026, 3, 7, 12), Shanghai));
        Assert.False(Nights.BlocksTrip(Cst(2026, 3, 7, 12), Shanghai));
    }
}
