namespace Prepaid.Engine;

/// <summary>A meter's switch as the meter itself last showed it (read-back or report). Open = supply cut (relay open, valve closed).</summary>
public enum ConfirmedSwitch { Unknown, Open, Closed }

/// <summary>One switch command of a meter as convergence sees it.</summary>
/// <param name="Action">Trip (trip, valve close) or Close (close, valve open).</param>
/// <param name="InFlight">Requested or sent: the dispatcher is still working on it.</param>
/// <param name="Failed">Failed or expired.</param>
/// <param name="ByOperator">Asked by an operator (single or batch) rather than by the engine.</param>
/// <param name="At">When it reached its current state.</param>
public sealed record SwitchAttempt(SwitchAction Action, bool InFlight, bool Failed, bool ByOperator, DateTimeOffset At);

/// <summary>What convergence does for one meter at one instant.</summary>
/// <param name="Required">The state the meter must end up in (null: none required).</param>
/// <param name="Ask">Request this action now (null: ask nothing).</param>
/// <param name="NotBefore">For an Ask: the instant the request may act (a trip waits for the friendly window's end).</param>
/// <param name="Alarm">The "trip failed" / "close failed" alarm for Required is due (raised until the meter confirms).</param>
/// <param name="Failures">Failed or expired requests for Required in a row, newest first.</param>
/// <param name="DueAt">When the next request is due, if the meter waits for a back-off.</param>
public sealed record SwitchStep(SwitchAction? Required, SwitchAction? Ask, DateTimeOffset? NotBefore, bool Alarm, int Failures, DateTimeOffset? DueAt)
{
    public static readonly SwitchStep Nothing = new(null, null, null, false, 0, null);
}

/// <summary>
/// R16a: switching is level-triggered. Each pass compares, per meter, the switch state its account requires with the
/// state the meter confirmed, and asks again for what failed or expired after a back-off; the friendly window still
/// holds every trip back. Pure: the caller passes the stored facts and <c>now</c>.
/// </summary>
public static class SwitchConvergence
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>
    /// The switch state an account's meters must end up in: Trip while in arrears and not keep-on; Close once the
    /// balance is at or above the reconnect threshold, if the engine has ever switched the account (so a meter the
    /// engine never touched is left as it is); nothing for a closed account or between the two thresholds.
    /// </summary>
    public static SwitchAction? Required(Money balance, AccountPolicy policy, bool keepOn, bool closed, SwitchAction? lastRequested)
    {
        if (closed) return null;
        if (policy.StateOf(balance) == AccountState.Arrears) return keepOn ? null : SwitchAction.Trip;
        return lastRequested is not null && balance >= policy.ReconnectThreshold ? SwitchAction.Close : null;
    }

    /// <summary>Wait after the n-th failed request in a row: 5 min, 10 min, 20 min, 40 min, then hourly.</summary>
    public static TimeSpan Backoff(int failures)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var doubled = FirstBackoff * (1L << Math.Min(failures - 1, 4));
        return doubled < MaxBackoff ? doubled : MaxBackoff;
    }

    /// <summary>
    /// The next step for one meter.
    /// </summary>
    /// <param name="required">From <see cref="Required"/>.</param>
    /// <param name="confirmed">What the meter last showed.</param>
    /// <param name="canSwitch">The meter has a connection and a relay or valve: without one nothing can be sent, so
    /// a required state it does not show is an alarm at once, and nothing is asked.</param>
    /// <param name="requestPending">A switch request for the meter waits to become a command (outbox).</param>
    /// <param name="newestFirst">The meter's switch commands, any source, newest first (the last few are enough).</param>
    public static SwitchStep Next(SwitchAction? required, ConfirmedSwitch confirmed, bool canSwitch, bool requestPending,
        IReadOnlyList<SwitchAttempt> newestFirst, FriendlyCutoff cutoff, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (required is not { } want || Shows(want, confirmed)) return SwitchStep.Nothing with { Required = required };
        if (!canSwitch) return new(want, null, null, true, 0, null);

        var head = newestFirst.Count > 0 ? newestFirst[0] : null;
        // Requests for this state since the last one the other way, the one still in flight (if any) left aside.
        var done = newestFirst.SkipWhile(a => a.InFlight && a.Action == want).TakeWhile(a => a.Action == want && !a.InFlight).ToList();
        var failures = done.TakeWhile(a => a.Failed).Count();
        var alarm = failures > 0;

        // Never ask twice: a command in flight (whoever asked) or a request not yet taken ends first.
        if (head is { InFlight: true } || requestPending) return new(want, null, null, alarm, failures, null);
        // An operator who cut a paying tenant's supply (maintenance, a safety stop) keeps it cut until the engine asks
        // anew; trips have keep-on for the opposite wish, so an operator's close does not hold a trip back.
        if (want == SwitchAction.Close && head is { Action: SwitchAction.Trip, ByOperator: true }) return SwitchStep.Nothing with { Required = want };

        // A request that was confirmed but no longer shows (the meter drifted) also counts toward the back-off, so a
        // meter that does not hold its state is asked at most hourly, not on every pass.
        var due = done.Count == 0 ? now : done[0].At + Backoff(done.Count);
        if (due > now) return new(want, null, null, alarm, failures, want == SwitchAction.Trip ? cutoff.NextAllowed(due, zone) : due);
        var notBefore = want == SwitchAction.Trip ? cutoff.NextAllowed(now, zone) : now;
        return new(want, want, notBefore, alarm, failures, null);
    }

    /// <summary>Whether the meter already shows the state an action asks for.</summary>
    public static bool Shows(SwitchAction action, ConfirmedSwitch confirmed) =>
        action == SwitchAction.Trip ? confirmed == ConfirmedSwitch.Open : confirmed == ConfirmedSwitch.Closed;
}
