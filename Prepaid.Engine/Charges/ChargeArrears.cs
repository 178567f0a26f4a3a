namespace Prepaid.Engine;

/// <summary>
/// R28 with R16: a charge whose agreement never trips may take the balance into arrears, but switching counts the
/// balance without the part of the debt such charges caused (the state still shows arrears). That part is the charge
/// less whatever credit the wallet held for it, and it shrinks as the balance rises back: money paid in settles the
/// energy debt first, then the charges owed, so a tenant never gets supply back while energy is unpaid, and is never cut
/// off for the charge alone. Consumption on a wallet emptied by such a charge is unpaid energy and trips as usual.
/// </summary>
public static class ChargeArrears
{
    /// <summary>What the charges that never trip are owed after a posting that left the wallet at <paramref name="balanceAfter"/>.</summary>
    /// <param name="owed">Owed before the posting.</param>
    /// <param name="nonTrippingDebit">The posting's amount when it is such a charge, else zero.</param>
    public static Money After(Money owed, Money balanceAfter, Money nonTrippingDebit)
    {
        var cap = balanceAfter < Money.Zero ? -balanceAfter : Money.Zero;
        var owedAfter = owed + nonTrippingDebit;
        return owedAfter < cap ? owedAfter : cap;
    }

    /// <summary>The balance switching decides on (R16, R16a): the wallet's, with what charges that never trip are owed added back.</summary>
    public static Money SwitchingBalance(Money balance, Money owed) => balance + owed;
}
