using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

/// <summary>R28 with R16: a charge whose agreement never trips takes the balance into arrears without tripping.</summary>
public class ChargeArrearsTests
{
    static readonly AccountPolicy Policy = new(new Money(2000), new Money(1000), Money.Zero, Money.Zero);
    static readonly DateTimeOffset Now = Cst(2026, 11, 11, 10);

    static ControlDecision Decide(long before, long after, long owedBefore, long owedAfter, SwitchAction? last = null) =>
        ControlPolicy.Decide(new Money(before), new Money(after), new Money(owedBefore), new Money(owedAfter), Policy, false, last, FriendlyCutoff.None, Shanghai, Now);

    [Fact] // the part of a charge the wallet could not pay is owed; the state is arrears, no trip is asked
    public void NonTrippingCharge_IntoArrears_StateArrears_NoTrip_R28()
    {
        var owed = ChargeArrears.After(Money.Zero, new Money(-290_000), new Money(300_000));
        var decision = Decide(10_000, -290_000, 0, owed.Fen);

        Assert.Equal(new Money(290_000), owed);
        Assert.Equal(AccountState.Arrears, decision.After);
        Assert.Null(decision.Switch);
    }

    [Fact] // consumption on a wallet the charge emptied is unpaid energy: it trips as usual
    public void ConsumptionAfterANonTrippingCharge_Trips_R28_R16()
    {
        var owed = ChargeArrears.After(new Money(290_000), new Money(-290_500), Money.Zero);
        var decision = Decide(-290_000, -290_500, 290_000, owed.Fen);

        Assert.Equal(new Money(290_000), owed);
        Assert.Equal(SwitchAction.Trip, decision.Switch);
    }

    [Fact] // money paid in settles the energy debt first: the tripped meter closes once energy is paid, charges still owed
    public void TopUp_PaysTheEnergyDebtFirst_ThenTheChargesOwed_R28_R16()
    {
        var owed = ChargeArrears.After(new Money(290_000), new Money(-290_000), Money.Zero);
        var decision = Decide(-290_500, -290_000, 290_000, owed.Fen, SwitchAction.Trip);

        Assert.Equal(new Money(290_000), owed);
        Assert.Equal(SwitchAction.Close, decision.Switch);
        // Paying more settles the charges owed, down to nothing once the balance is back above zero.
        Assert.Equal(new Money(100_000), ChargeArrears.After(owed, new Money(-100_000), Money.Zero));
        Assert.Equal(Money.Zero, ChargeArrears.After(owed, new Money(500), Money.Zero));
    }

    [Fact] // a tripping charge, or a non-tripping one the wallet covers, changes nothing owed
    public void CoveredOrTrippingCharge_OwesNothing_R28()
    {
        Assert.Equal(Money.Zero, ChargeArrears.After(Money.Zero, new Money(5_000), new Money(300_000)));
        Assert.Equal(SwitchAction.Trip, Decide(10_000, -290_000, 0, 0).Switch);
    }
}
