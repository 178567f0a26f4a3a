namespace Prepaid.Devices.Cjt188;

/// <summary>Unit codes that follow a flow value.</summary>
public static class Cjt188Units
{
    public const byte Litre = 0x29;
    public const byte CubicMetre = 0x2C;
    public const byte CubicMetrePerHour = 0x35;
    public const byte KilowattHour = 0x05;
    public const byte Gigajoule = 0x11;

    /// <summary>Converts a scaled BCD volume to integer millilitres, exactly; null for units that are
    /// not volumes or scalings that would need rounding.</summary>
    public static long? ToMillilitres(long scaled, byte unit, int decimals)
    {
        long perUnit = unit switch
        {
            CubicMetre => 1_000_000,
            Litre => 1_000,
            _ => 0,
        };
        var divisor = 1L;
        for (var i = 0; i < decimals; i++)
        {
            divisor *= 10;
        }
        if (perUnit == 0 || perUnit % divisor != 0)
        {
            return null;
        }
        return scaled * (perUnit / divisor);
    }
}
