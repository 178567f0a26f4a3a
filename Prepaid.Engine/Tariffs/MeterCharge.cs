namespace Prepaid.Engine;

/// <summary>R4: a meter's exact cumulative cost since opening and what the ledger has debited for it.</summary>
public readonly record struct MeterCharge(decimal ExactCost, Money Debited)
{
    public static readonly MeterCharge Opening = new(0m, Money.Zero);

    /// <summary>Adds an exact cost; the debit due now is round(cumulative) − already debited, so nothing drifts.</summary>
    public (MeterCharge After, Money Debit) Add(decimal exactCost)
    {
        var cumulative = ExactCost + exactCost;
        var debit = Money.Round(cumulative) - Debited;
        return (new MeterCharge(cumulative, Debited + debit), debit);
    }
}
