namespace Prepaid.Engine;

public enum SwitchAction { Trip, Close }

/// <summary>What a posting does to an account: its state before and after, and a switch request if any.</summary>
/// <param name="NotBefore">A trip that falls in a friendly window waits until this instant.</param>
public sealed record ControlDecision(AccountState Before, AccountState After, SwitchAction? Switch, DateTimeOffset? NotBefore)
{
    public bool StateChanged => Before != After;
}

/// <summary>R16: derives state from balance after every posting and requests trips and closes.</summary>
public static class ControlPolicy
{
    /// <summary>
    /// Trip when the balance after is arrears, the account is not keep-on and the last requested action is not already Trip;
    /// NotBefore = cutoff.NextAllowed(now) (equal to now when no window is open).
    /// Close when the last requested action is Trip and the balance rises from below to ≥ ReconnectThreshold;
    /// a close never waits, so its NotBefore is null.
    /// </summary>
    public static ControlDecision Decide(Money before, Money after, AccountPolicy policy, bool keepOn, SwitchAction? lastRequested,
        FriendlyCutoff cutoff, TimeZoneInfo zone, DateTimeOffset now) =>
        Decide(before, after, Money.Zero, Money.Zero, policy, keepOn, lastRequested, cutoff, zone, now);

    /// <summary>
    /// As above, with what charges that never trip are owed before and after the posting (R28, <see cref="ChargeArrears"/>):
    /// the state follows the wallet's balance, the trip and the close follow the balance with that owed part added back.
    /// </summary>
    public static ControlDecision Decide(Money before, Money after, Money owedBefore, Money owedAfter, AccountPolicy policy, bool keepOn,
        SwitchAction? lastRequested, FriendlyCutoff cutoff, TimeZoneInfo zone, DateTimeOffset now)
    {
        var (stateBefore, stateAfter) = (policy.StateOf(before), policy.StateOf(after));
        var (switchBefore, switchAfter) = (ChargeArrears.SwitchingBalance(before, owedBefore), ChargeArrears.SwitchingBalance(after, owedAfter));
        if (policy.StateOf(switchAfter) == AccountState.Arrears && !keepOn && lastRequested != SwitchAction.Trip)
            return new(stateBefore, stateAfter, SwitchAction.Trip, cutoff.NextAllowed(now, zone));
        if (lastRequested == SwitchAction.Trip && switchBefore < policy.ReconnectThreshold && switchAfter >= policy.ReconnectThreshold)
            return new(stateBefore, stateAfter, SwitchAction.Close, null);
        return new(stateBefore, stateAfter, null, null);
    }
}
