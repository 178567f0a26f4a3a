namespace Prepaid.Engine;

/// <summary>
/// R11/R12 constant power: the quantity accrued from the start of [From, To) until instant t. A piece [a, b) gets
/// At(b) − At(a), so the pieces of any partition telescope to exactly the whole and the last piece takes the rest.
/// At is kept to a fixed scale so every subtraction and sum stays exact in decimal.
/// </summary>
internal sealed class TimeShare(DateTimeOffset from, DateTimeOffset to, decimal quantity)
{
    /// <summary>10 decimals: far below any meter's resolution, and room for 18 integer digits.</summary>
    public const int Scale = 10;

    public decimal At(DateTimeOffset t)
    {
        if (t >= to) return quantity;
        if (t <= from) return 0m;
        return decimal.Round(quantity * (t - from).Ticks / (to - from).Ticks, Scale, MidpointRounding.AwayFromZero);
    }

    public decimal Between(DateTimeOffset a, DateTimeOffset b) => At(b) - At(a);
}
