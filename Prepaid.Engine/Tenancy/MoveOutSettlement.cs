namespace Prepaid.Engine;

/// <summary>How the balance left at move-out is settled (R26).</summary>
public enum Settle { Refund, Cash, CarryDebt }

/// <summary>A paid channel order of the account and what of it is left to refund (its amount less refunds not failed).</summary>
public sealed record RefundSource(long OrderId, Money Refundable);

/// <summary>What leaves the wallet at move-out: refunds per channel order, cash at the counter, or the tenant's debt.</summary>
/// <param name="Refusal">Why the chosen way cannot settle this balance; nothing is to be posted then.</param>
public sealed record SettlementPlan(Money Final, IReadOnlyList<(long OrderId, Money Amount)> Refunds, Money CashOut, Money Debt, string? Refusal)
{
    public Money Refunded => Refunds.Aggregate(Money.Zero, (sum, r) => sum + r.Amount);
}

/// <summary>
/// R26's settlement, after the final readings, the charges up to the move-out and the deposit's return (R29) are posted:
/// a positive balance goes back through the channels it came from (refund) or in cash at the counter; a negative one is
/// the tenant's debt. A refund goes back through the account's paid orders, newest first (the money paid last is taken
/// as the money unused), each up to what is left of it to refund; what no order can take back (counter top-ups, the
/// deposit, orders already refunded) is paid in cash with a receipt.
/// </summary>
public static class MoveOutSettlement
{
    public static SettlementPlan Plan(Money final, Settle settle, IReadOnlyList<RefundSource> ordersNewestFirst)
    {
        var none = Array.Empty<(long, Money)>();
        if (final == Money.Zero) return new(final, none, Money.Zero, Money.Zero, null);
        if (final < Money.Zero)
            return settle == Settle.CarryDebt
                ? new(final, none, Money.Zero, -final, null)
                : new(final, none, Money.Zero, Money.Zero,
                    $"The final balance is {final}: the tenant owes {-final}. Settle carryDebt to record it as the tenant's debt, or take a top-up first.");
        if (settle == Settle.CarryDebt)
            return new(final, none, Money.Zero, Money.Zero, $"The final balance is {final}: there is no debt to carry. Settle refund or cash.");
        if (settle == Settle.Cash) return new(final, none, final, Money.Zero, null);

        var refunds = new List<(long, Money)>();
        var left = final;
        foreach (var o in ordersNewestFirst)
        {
            if (left == Money.Zero) break;
            if (o.Refundable <= Money.Zero) continue;
            var take = o.Refundable < left ? o.Refundable : left;
            refunds.Add((o.OrderId, take));
            left -= take;
        }
        return new(final, refunds, left, Money.Zero, null);
    }
}
