using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class PolicyChangeTests
{
    // Alarm 1 at 20.00, alarm 2 at 10.00, no overdraft, reconnect at 0.00.
    static readonly AccountPolicy Policy = new(new Money(2000), new Money(1000), Money.Zero, Money.Zero);
    static readonly DateTimeOffset Afternoon = Cst(2026, 3, 4, 15);
    static readonly FriendlyCutoff Nights = new(new(22, 0), new(7, 0), false, new HashSet<DateOnly>());

    static ControlDecision Decide(long balanceFen, AccountPolicy after, bool keepOn = false, SwitchAction? last = null, DateTimeOffset? now = null) =>
        PolicyChange.Decide(new Money(balanceFen), Policy, after, keepOn, last, Nights, Shanghai, now ?? Afternoon);

    [Fact] // R16: raising alarm 1 above the balance moves the account into alarm 1 and switches nothing
    public void RaisedAlarm1_StateAlarm1_NoSwitch()
    {
        var d = Decide(2500, Policy with { Alarm1 = new Money(3000) });
        Assert.Equal((AccountState.Normal, AccountState.Alarm1), (d.Before, d.After));
        Assert.Null(d.Switch);
    }

    [Fact] // R16: removing the overdraft of an account at −5.00 puts it in arrears: a trip, held back by the friendly window
    public void OverdraftRemoved_Arrears_TripAfterTheNight()
    {
        var before = Policy with { Overdraft = new Money(1000) };
        var d = PolicyChange.Decide(new Money(-500), before, Policy, false, null, Nights, Shanghai, Cst(2026, 3, 4, 23));
        Assert.Equal((AccountState.Alarm2, AccountState.Arrears), (d.Before, d.After));
        Assert.Equal(SwitchAction.Trip, d.Switch);
        Assert.Equal(Cst(2026, 3, 5, 7), d.NotBefore);
    }

    [Fact] // R16: keep-on (保电) on a tripped account in arrears gives the supply back
    public void KeepOnSetOnTrippedAccount_Close()
    {
        var d = Decide(-500, Policy, keepOn: true, last: SwitchAction.Trip);
        Assert.Equal(SwitchAction.Close, d.Switch);
        Assert.Null(d.NotBefore);
    }

    [Fact] // R16: keep-on removed from an account in arrears: a trip now
    public void KeepOnRemovedInArrears_Trip()
    {
        var d = Decide(-500, Policy, keepOn: false, last: SwitchAction.Close);
        Assert.Equal(SwitchAction.Trip, d.Switch);
        Assert.Equal(Afternoon, d.NotBefore);
    }

    [Theory] // R16: an overdraft that lifts a tripped account out of arrears closes only at or above the reconnect threshold
    [InlineData(-500, 0, null)]
    [InlineData(-500, -500, SwitchAction.Close)]
    [InlineData(-500, -600, SwitchAction.Close)]
    public void OverdraftLiftsArrears_CloseOnlyAtReconnectThreshold(long balanceFen, long reconnectFen, SwitchAction? expected)
    {
        var after = Policy with { Overdraft = new Money(1000), ReconnectThreshold = new Money(reconnectFen) };
        Assert.Equal(expected, Decide(balanceFen, after, last: SwitchAction.Trip).Switch);
    }

    [Fact] // R16: a trip already requested is not requested twice
    public void StillInArrears_TripAlreadyRequested_NoSwitch() =>
        Assert.Null(Decide(-500, Policy with { Alarm1 = new Money(5000) }, last: SwitchAction.Trip).Switch);
}
