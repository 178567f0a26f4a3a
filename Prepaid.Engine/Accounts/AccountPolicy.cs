namespace Prepaid.Engine;

public enum AccountState { Normal, Alarm1, Alarm2, Arrears }

/// <summary>R16 thresholds of one account. Alarm1 ≥ Alarm2; Overdraft ≥ 0.</summary>
public sealed record AccountPolicy(Money Alarm1, Money Alarm2, Money Overdraft, Money ReconnectThreshold)
{
    /// <summary>R16: arrears when balance &lt; −overdraft; else alarm 2 when ≤ alarm2; else alarm 1 when ≤ alarm1.</summary>
    public AccountState StateOf(Money balance) =>
        balance < -Overdraft ? AccountState.Arrears
        : balance <= Alarm2 ? AccountState.Alarm2
        : balance <= Alarm1 ? AccountState.Alarm1
        : AccountState.Normal;
}
