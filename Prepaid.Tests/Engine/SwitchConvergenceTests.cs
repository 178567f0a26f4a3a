using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

/// <summary>R16a: what a reconciliation pass asks of one meter, given what it required, what it confirmed and what was tried.</summary>
public class SwitchConvergenceTests
{
    // Alarm 1 at 20.00, alarm 2 at 10.00, no overdraft, reconnect at 0.00.
    static readonly AccountPolicy Policy = new(new Money(2000), new Money(1000), Money.Zero, Money.Zero);
    static readonly DateTimeOffset Now = Cst(2026, 3, 4, 15);
    static readonly FriendlyCutoff Nights = new(new(22, 0), new(7, 0), true, new HashSet<DateOnly>());

    static SwitchAttempt Trip(string state, DateTimeOffset at, bool byOperator = false) => Attempt(SwitchAction.Trip, state, at, byOperator);

    static SwitchAttempt Close(string state, DateTimeOffset at, bool byOperator = false) => Attempt(SwitchAction.Close, state, at, byOperator);

    static SwitchAttempt Attempt(SwitchAction action, string state, DateTimeOffset at, bool byOperator) =>
        new(action, InFlight: state is "requested" or "sent", Failed: state is "failed" or "expired", byOperator, at);

    static SwitchStep Next(SwitchAction? required, ConfirmedSwitch confirmed, params SwitchAttempt[] newestFirst) =>
        SwitchConvergence.Next(required, confirmed, canSwitch: true, requestPending: false, newestFirst, FriendlyCutoff.None, Shanghai, Now);

    [Theory] // R16a: the state the account requires follows its balance, not the last request
    [InlineData(-1, false, null, SwitchAction.Trip)]          // arrears
    [InlineData(-1, false, SwitchAction.Trip, SwitchAction.Trip)]
    [InlineData(-1, true, SwitchAction.Trip, null)]           // keep-on never trips
    [InlineData(0, false, SwitchAction.Trip, SwitchAction.Close)]   // paid back to the reconnect threshold
    [InlineData(5000, false, SwitchAction.Close, SwitchAction.Close)]
    [InlineData(5000, false, null, null)]                     // never switched by the engine: left alone
    public void Required_FollowsTheBalance_R16a(long balanceFen, bool keepOn, SwitchAction? last, SwitchAction? expected) =>
        Assert.Equal(expected, SwitchConvergence.Required(new Money(balanceFen), Policy, keepOn, closed: false, last));

    [Fact] // R16a: between arrears and the reconnect threshold nothing is asked either way
    public void Required_BetweenArrearsAndReconnect_Nothing_R16a() =>
        Assert.Null(SwitchConvergence.Required(new Money(500), Policy with { ReconnectThreshold = new Money(1000) }, false, false, SwitchAction.Trip));

    [Fact] // R16a: a closed account requires nothing of its meters
    public void Required_ClosedAccount_Nothing_R16a() =>
        Assert.Null(SwitchConvergence.Required(new Money(-5000), Policy, keepOn: false, closed: true, SwitchAction.Trip));

    [Fact] // R16a: 5 min, doubling, at most hourly
    public void Backoff_FiveMinutesDoublingAtMostHourly_R16a() =>
        Assert.Equal([0, 5, 10, 20, 40, 60, 60, 60], Enumerable.Range(0, 8).Select(n => (int)SwitchConvergence.Backoff(n).TotalMinutes));

    [Fact] // R16a: the meter shows the required state: nothing to ask, no alarm
    public void Next_Confirmed_Nothing_R16a()
    {
        var step = Next(SwitchAction.Trip, ConfirmedSwitch.Open, Trip("failed", Now.AddHours(-2)));

        Assert.Null(step.Ask);
        Assert.False(step.Alarm);
    }

    [Fact] // R16a: a trip that failed is asked again after 5 min, and the alarm holds meanwhile
    public void Next_TripFailed_AlarmAtOnce_AskedAgainAfterFiveMinutes_R16a()
    {
        var waiting = Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Trip("failed", Now.AddMinutes(-4)));
        Assert.Null(waiting.Ask);
        Assert.True(waiting.Alarm);
        Assert.Equal(Now.AddMinutes(1), waiting.DueAt);

        var due = Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Trip("failed", Now.AddMinutes(-5)));
        Assert.Equal(SwitchAction.Trip, due.Ask);
        Assert.Equal(Now, due.NotBefore);
        Assert.True(due.Alarm);
    }

    [Fact] // R16a: an expired trip counts as failed; three in a row wait 20 min after the last
    public void Next_ThreeFailedOrExpired_WaitsTwentyMinutes_R16a()
    {
        var step = Next(SwitchAction.Trip, ConfirmedSwitch.Unknown,
            Trip("expired", Now.AddMinutes(-19)), Trip("failed", Now.AddMinutes(-40)), Trip("failed", Now.AddMinutes(-50)));

        Assert.Null(step.Ask);
        Assert.Equal(3, step.Failures);
        Assert.Equal(Now.AddMinutes(1), step.DueAt);
        Assert.Equal(SwitchAction.Trip, Next(SwitchAction.Trip, ConfirmedSwitch.Unknown,
            Trip("expired", Now.AddMinutes(-20)), Trip("failed", Now.AddMinutes(-40)), Trip("failed", Now.AddMinutes(-50))).Ask);
    }

    [Fact] // R16a: a command in flight (whoever asked) is never doubled, and a retry after a failure keeps the alarm
    public void Next_InFlight_NothingAsked_AlarmKept_R16a()
    {
        var retry = Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Trip("sent", Now.AddMinutes(-1)), Trip("failed", Now.AddHours(-1)));
        Assert.Null(retry.Ask);
        Assert.True(retry.Alarm);

        var byOperator = Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Close("requested", Now, byOperator: true));
        Assert.Null(byOperator.Ask);
        Assert.False(byOperator.Alarm);
    }

    [Fact] // R16a: a request not yet taken by the dispatcher (outbox, friendly window) is not asked twice
    public void Next_RequestPending_NothingAsked_R16a() =>
        Assert.Null(SwitchConvergence.Next(SwitchAction.Trip, ConfirmedSwitch.Closed, canSwitch: true, requestPending: true, [], FriendlyCutoff.None, Shanghai, Now).Ask);

    [Fact] // R16a: a meter never switched (state unknown, no command) in arrears is asked at once
    public void Next_UnknownAndNeverAsked_AskedNow_R16a()
    {
        var step = Next(SwitchAction.Trip, ConfirmedSwitch.Unknown);

        Assert.Equal(SwitchAction.Trip, step.Ask);
        Assert.False(step.Alarm);
    }

    [Fact] // R16a: a trip due inside the friendly window waits for its end
    public void Next_TripDueAtNight_WaitsForTheMorning_R16a()
    {
        var night = Cst(2026, 3, 4, 23, 30);
        var step = SwitchConvergence.Next(SwitchAction.Trip, ConfirmedSwitch.Closed, true, false, [Trip("failed", night.AddMinutes(-10))], Nights, Shanghai, night);

        Assert.Equal(SwitchAction.Trip, step.Ask);
        Assert.Equal(Cst(2026, 3, 5, 7), step.NotBefore);
        var backingOff = SwitchConvergence.Next(SwitchAction.Trip, ConfirmedSwitch.Closed, true, false, [Trip("failed", Cst(2026, 3, 4, 21, 58))], Nights,
            Shanghai, Cst(2026, 3, 4, 22, 0));
        Assert.Equal(Cst(2026, 3, 5, 7), backingOff.DueAt);
    }

    [Fact] // R16a: a close never waits for the window, and a failed one is asked again like a trip
    public void Next_CloseFailedAtNight_AskedAgainAtOnceAfterBackoff_R16a()
    {
        var night = Cst(2026, 3, 4, 23, 30);
        var step = SwitchConvergence.Next(SwitchAction.Close, ConfirmedSwitch.Open, true, false, [Close("failed", night.AddMinutes(-5)), Trip("confirmed", night.AddHours(-3))],
            Nights, Shanghai, night);

        Assert.Equal(SwitchAction.Close, step.Ask);
        Assert.Equal(night, step.NotBefore);
        Assert.True(step.Alarm);
        Assert.Equal(1, step.Failures);
    }

    [Fact] // R16a: a meter without a connection (or relay) cannot be asked: alarm, and nothing sent
    public void Next_CannotSwitch_AlarmWithoutAsking_R16a()
    {
        var step = SwitchConvergence.Next(SwitchAction.Trip, ConfirmedSwitch.Unknown, canSwitch: false, requestPending: false, [], FriendlyCutoff.None, Shanghai, Now);

        Assert.Null(step.Ask);
        Assert.True(step.Alarm);
    }

    [Fact] // R16a: an operator's trip of a paying tenant stands; an operator's close does not hold back a required trip
    public void Next_OperatorTripStands_OperatorCloseDoesNot_R16a()
    {
        Assert.Null(Next(SwitchAction.Close, ConfirmedSwitch.Open, Trip("confirmed", Now.AddHours(-1), byOperator: true)).Ask);
        Assert.Equal(SwitchAction.Trip, Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Close("confirmed", Now.AddHours(-1), byOperator: true)).Ask);
    }

    [Fact] // R16a: a meter that confirmed but no longer shows it is asked again, with the back-off, not on every pass
    public void Next_ConfirmedThenDrifted_AskedAgainWithBackoff_R16a()
    {
        Assert.Equal(SwitchAction.Trip, Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Trip("confirmed", Now.AddHours(-3))).Ask);
        var again = Next(SwitchAction.Trip, ConfirmedSwitch.Closed, Trip("confirmed", Now.AddMinutes(-6)), Trip("confirmed", Now.AddHours(-3)));
        Assert.Null(again.Ask);
        Assert.False(again.Alarm);
    }

    [Fact] // R16a: failures of the other direction do not count: a close required after failed trips starts afresh
    public void Next_FailedTripsThenPaid_CloseAskedAtOnce_R16a()
    {
        var step = Next(SwitchAction.Close, ConfirmedSwitch.Unknown, Trip("failed", Now.AddMinutes(-1)), Trip("failed", Now.AddMinutes(-30)));

        Assert.Equal(SwitchAction.Close, step.Ask);
        Assert.False(step.Alarm);
    }
}
