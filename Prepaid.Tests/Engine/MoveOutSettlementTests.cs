using CsCheck;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

/// <summary>R26: how the balance left at move-out leaves the wallet.</summary>
public class MoveOutSettlementTests
{
    [Fact] // refunds go back through the newest paid orders first, each up to what is left of it; the rest is cash
    public void Refund_NewestOrdersFirst_EachUpToItsRefundable_RestInCash_R26()
    {
        var plan = MoveOutSettlement.Plan(new Money(15_000), Settle.Refund,
            [new RefundSource(9, new Money(5_000)), new RefundSource(7, Money.Zero), new RefundSource(3, new Money(8_000))]);

        Assert.Null(plan.Refusal);
        Assert.Equal([(9L, new Money(5_000)), (3L, new Money(8_000))], plan.Refunds);
        Assert.Equal(new Money(2_000), plan.CashOut);
        Assert.Equal(Money.Zero, plan.Debt);
    }

    [Fact] // cash pays everything at the counter; a negative balance is the tenant's debt when carried, refused otherwise
    public void CashAndDebt_AndTheirRefusals_R26()
    {
        Assert.Equal(new Money(700), MoveOutSettlement.Plan(new Money(700), Settle.Cash, [new RefundSource(1, new Money(700))]).CashOut);
        Assert.Equal(new Money(1_234), MoveOutSettlement.Plan(new Money(-1_234), Settle.CarryDebt, []).Debt);
        Assert.NotNull(MoveOutSettlement.Plan(new Money(-1), Settle.Refund, []).Refusal);
        Assert.NotNull(MoveOutSettlement.Plan(new Money(-1), Settle.Cash, []).Refusal);
        Assert.NotNull(MoveOutSettlement.Plan(new Money(1), Settle.CarryDebt, []).Refusal);
        Assert.Null(MoveOutSettlement.Plan(Money.Zero, Settle.CarryDebt, []).Refusal);
    }

    [Fact] // whatever the orders, refunds + cash + debt settle the balance exactly and no order gives more than it has left
    public void AnyBalanceAndOrders_SettleExactly_R26() =>
        Gen.Select(Gen.Long[-1_000_000, 1_000_000], Gen.Long[0, 500_000].Array[0, 6], Gen.Int[0, 2]).Sample((final, refundable, settle) =>
        {
            var orders = refundable.Select((f, i) => new RefundSource(i + 1, new Money(f))).ToList();
            var plan = MoveOutSettlement.Plan(new Money(final), (Settle)settle, orders);
            if (plan.Refusal is not null) return;
            Assert.Equal(final, plan.Refunded.Fen + plan.CashOut.Fen - plan.Debt.Fen);
            Assert.All(plan.Refunds, r => Assert.InRange(r.Amount.Fen, 1, orders.Single(o => o.OrderId == r.OrderId).Refundable.Fen));
            Assert.True(plan.CashOut.Fen >= 0 && plan.Debt.Fen >= 0);
        }, iter: 2000);
}
