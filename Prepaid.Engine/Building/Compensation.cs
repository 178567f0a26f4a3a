namespace Prepaid.Engine;

/// <summary>
/// R35: the utility's bill B for a period against the sum S the tenants were charged for that supply and period;
/// B − S is charged (credited when negative) in proportion to what each was charged, by the largest-remainder method.
/// </summary>
public static class Compensation
{
    /// <summary>
    /// The difference B − S and each account's share of it, in the order of <paramref name="charged"/>. An account charged
    /// nothing (or a net credit) bears nothing. Null when there is a difference and no one was charged to split it by.
    /// </summary>
    public static (Money Difference, Money[] Shares)? Split(Money bill, IReadOnlyList<Money> charged)
    {
        var total = new Money(charged.Sum(c => c.Fen));
        var difference = new Money(bill.Fen - total.Fen);
        if (difference.Fen == 0) return (difference, [.. charged.Select(_ => new Money(0))]);
        var weights = charged.Select(c => (decimal)Math.Max(0, c.Fen)).ToArray();
        if (weights.Length == 0 || weights.Sum() <= 0m) return null;
        return (difference, Apportion.LargestRemainder(difference, weights));
    }
}
