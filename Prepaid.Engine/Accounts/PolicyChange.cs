namespace Prepaid.Engine;

/// <summary>R16 when an operator changes an account's thresholds or keep-on: the balance stays, the verdict may not.</summary>
public static class PolicyChange
{
    /// <summary>
    /// The state under the new thresholds, and the switch the change calls for: a trip (after the friendly window) when
    /// the account is now in arrears and not keep-on and no trip was requested; a close when a trip was requested and
    /// the account no longer needs it (keep-on, or out of arrears at or above the reconnect threshold). Keep-on (保电)
    /// means supply on, so setting it on a tripped account gives the supply back.
    /// </summary>
    public static ControlDecision Decide(Money balance, AccountPolicy before, AccountPolicy after, bool keepOn, SwitchAction? lastRequested,
        FriendlyCutoff cutoff, TimeZoneInfo zone, DateTimeOffset now)
    {
        var (stateBefore, stateAfter) = (before.StateOf(balance), after.StateOf(balance));
        var tripRequired = stateAfter == AccountState.Arrears && !keepOn;
        if (tripRequired && lastRequested != SwitchAction.Trip)
            return new(stateBefore, stateAfter, SwitchAction.Trip, cutoff.NextAllowed(now, zone));
        if (!tripRequired && lastRequested == SwitchAction.Trip && (keepOn || balance >= after.ReconnectThreshold))
            return new(stateBefore, stateAfter, SwitchAction.Close, null);
        return new(stateBefore, stateAfter, null, null);
    }
}
