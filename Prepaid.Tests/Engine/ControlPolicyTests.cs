using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class ControlPolicyTests
{
    // Alarm 1 at 20.00, alarm 2 at 10.00, no overdraft, reconnect at 0.00.
    private static readonly AccountPolicy Policy = new(new Money(2000), new Money(1000), Money.Zero, Money.Zero);
    private static readonly DateTimeOffset Now = Cst(2026, 3, 4, 15);
    private static readonly FriendlyCutoff Nights = new(new(22, 0), new(7, 0), true, new HashSet<DateOnly>());

    private static ControlDecision Decide(long beforeFen, long afterFen, bool keepOn = false, SwitchAction? last = null,
        AccountPolicy? policy = null, FriendlyCutoff? cutoff = null, DateTimeOffset? now = null) =>
        ControlPolicy.Decide(new Money(beforeFen), new Money(afterFen), policy ?? Policy, keepOn, last, cutoff ?? FriendlyCutoff.None, Shanghai, now ?? Now);

    [Theory] // R16 thresholds: ≤ alarm1, ≤ alarm2, < −overdraft
    [InlineData(2001, AccountState.Normal)]
    [InlineData(2000, AccountState.Alarm1)]
    [InlineData(1001, AccountState.Alarm1)]
    [InlineData(1000, AccountState.Alarm2)]
    [InlineData(0, AccountState.Alarm2)]
    [InlineData(-1, AccountState.Arrears)]
    public void Decide_BalanceAfter_StateByThresholds(long afterFen, AccountState state)
    {
        var decision = Decide(5000, afterFen);

        Assert.Equal(AccountState.Normal, decision.Before);
        Assert.Equal(state, decision.After);
        Assert.Equal(state != AccountState.Normal, decision.StateChanged);
    }

    [Theory] // R16: an overdraft of 50.00 lets the balance reach −50.00
    [InlineData(-5000, AccountState.Alarm2)]
    [InlineData(-5001, AccountState.Arrears)]
    public void Decide_WithOverdraft_ArrearsOnlyBelowMinusOverdraft(long afterFen, AccountState state) =>
        Assert.Equal(state, Decide(100, afterFen, policy: Policy with { Overdraft = new Money(5000) }).After);

    [Fact] // R16
    public void Decide_FallsIntoArrears_TripNow()
    {
        var decision = Decide(50, -1);

        Assert.Equal(SwitchAction.Trip, decision.Switch);
        Assert.Equal(Now, decision.NotBefore);
    }

    [Fact] // R16: alarms alone switch nothing
    public void Decide_FallsToAlarm2_NoSwitch() => Assert.Null(Decide(5000, 500).Switch);

    [Fact] // R16: keep-on (保电) never trips
    public void Decide_ArrearsKeepOn_NoTrip()
    {
        var decision = Decide(50, -1, keepOn: true);

        Assert.Equal(AccountState.Arrears, decision.After);
        Assert.Null(decision.Switch);
    }

    [Fact] // R16: a trip already requested is not requested again
    public void Decide_ArrearsAlreadyTripped_NoSwitch() => Assert.Null(Decide(-100, -200, last: SwitchAction.Trip).Switch);

    [Fact] // R16: after an operator's close, the next posting in arrears trips again
    public void Decide_ArrearsAfterClose_TripAgain() => Assert.Equal(SwitchAction.Trip, Decide(-100, -200, last: SwitchAction.Close).Switch);

    [Fact] // R16: the friendly window holds the trip until 07:00 the next weekday
    public void Decide_ArrearsAtNight_TripWaitsForTheMorning()
    {
        var decision = Decide(50, -1, cutoff: Nights, now: Cst(2026, 3, 4, 23, 30));

        Assert.Equal(SwitchAction.Trip, decision.Switch);
        Assert.Equal(Cst(2026, 3, 5, 7), decision.NotBefore);
    }

    [Fact] // R16: Friday 22:30 waits for Monday 07:00
    public void Decide_ArrearsFridayNight_TripWaitsForMonday() =>
        Assert.Equal(Cst(2026, 3, 9, 7), Decide(50, -1, cutoff: Nights, now: Cst(2026, 3, 6, 22, 30)).NotBefore);

    [Fact] // R16: top-up back to ≥ 0.00 after a trip closes the relay at once
    public void Decide_TopUpAfterTrip_Close()
    {
        var decision = Decide(-500, 0, last: SwitchAction.Trip);

        Assert.Equal(SwitchAction.Close, decision.Switch);
        Assert.Null(decision.NotBefore);
        Assert.Equal((AccountState.Arrears, AccountState.Alarm2), (decision.Before, decision.After));
    }

    [Fact] // R16: a top-up that leaves the balance below the threshold does not close
    public void Decide_TopUpStillNegative_NoSwitch() => Assert.Null(Decide(-500, -1, last: SwitchAction.Trip).Switch);

    [Theory] // R16: reconnect threshold of 10.00
    [InlineData(999, null)]
    [InlineData(1000, SwitchAction.Close)]
    public void Decide_TopUpAgainstReconnectThreshold_CloseAtOrAbove(long afterFen, SwitchAction? expected) =>
        Assert.Equal(expected, Decide(-500, afterFen, last: SwitchAction.Trip, policy: Policy with { ReconnectThreshold = new Money(1000) }).Switch);

    [Fact] // R16: a posting while already above the threshold closes nothing
    public void Decide_AlreadyAboveThreshold_NoClose() => Assert.Null(Decide(100, 5000, last: SwitchAction.Trip).Switch);

    [Fact] // R16: no trip was requested, so there is nothing to close
    public void Decide_TopUpNeverTripped_NoClose() => Assert.Null(Decide(-500, 5000, keepOn: true).Switch);

    [Fact] // R16: closes are not held by the friendly window
    public void Decide_TopUpAtNight_CloseAtOnce()
    {
        var decision = Decide(-500, 5000, last: SwitchAction.Trip, cutoff: Nights, now: Cst(2026, 3, 4, 23, 30));

        Assert.Equal(SwitchAction.Close, decision.Switch);
        Assert.Null(decision.NotBefore);
    }
}
