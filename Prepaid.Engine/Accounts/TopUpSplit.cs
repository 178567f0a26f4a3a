namespace Prepaid.Engine;

/// <summary>R15: fee = round(amount × rate), credited = amount − fee.</summary>
public static class TopUpSplit
{
    public static (Money Fee, Money Credited) Of(Money amount, decimal feeRate)
    {
        if (feeRate is < 0m or >= 1m) throw new ArgumentOutOfRangeException(nameof(feeRate), "A service fee rate lies in [0, 1).");
        var fee = Money.Round(amount.Yuan * feeRate);
        return (fee, amount - fee);
    }
}
