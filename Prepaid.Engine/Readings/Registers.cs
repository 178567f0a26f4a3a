namespace Prepaid.Engine;

public enum Utility { Electricity, Water, Heat }

/// <summary>The four time-of-use periods of a Chinese tariff day: 尖 峰 平 谷.</summary>
public enum Period { Sharp, Peak, Flat, Valley }

/// <summary>R5: cumulative register values in the meter's unit. Period registers come all four or none.</summary>
public sealed record Registers(decimal Total, decimal? Sharp = null, decimal? Peak = null, decimal? Flat = null, decimal? Valley = null)
{
    public bool HasPeriods => Sharp is not null && Peak is not null && Flat is not null && Valley is not null;

    public decimal? this[Period p] => p switch
    {
        Period.Sharp => Sharp,
        Period.Peak => Peak,
        Period.Flat => Flat,
        _ => Valley,
    };
}
