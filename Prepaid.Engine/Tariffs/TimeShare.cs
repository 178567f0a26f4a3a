namespace Prepaid.Engine;

/// <summary>
/// R11/R12 constant power: the quantity accrued from the start of [From, To) until instant t. A piece [a, b) gets
/// At(b) − At(a), so the pieces of any partition telescope to exactly the whole and the last piece takes the rest.
/// At is kept to a fixed scale so every subtraction and sum stays exact in decimal.
/// A struct over UTC ticks: pricing makes one per call and per period, so none of them lands on the heap.
/// </summary>
internal readonly struct TimeShare(DateTimeOffset from, DateTimeOffset to, decimal quantity)
{
    /// <summary>10 decimals: far below any meter's resolution, and room for 18 integer digits.</summary>
    public const int Scale = 10;

    private readonly long from = from.UtcTicks;
    private readonly long to = to.UtcTicks;

    public decimal Quantity => quantity;

    public decimal At(DateTimeOffset t) => At(t.UtcTicks);

    /// <summary>The same as At(DateTimeOffset), for an instant given in UTC ticks (offsets never matter here).</summary>
    public decimal At(long utcTicks)
    {
        if (utcTicks >= to) return quantity;
        if (utcTicks <= from) return 0m;
        return decimal.Round(quantity * (utcTicks - from) / (to - from), Scale, MidpointRounding.AwayFromZero);
    }

    public decimal Between(DateTimeOffset a, DateTimeOffset b) => At(b.UtcTicks) - At(a.UtcTicks);

    public decimal Between(long a, long b) => At(b) - At(a);
}
