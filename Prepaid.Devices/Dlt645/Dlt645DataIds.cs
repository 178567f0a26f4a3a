namespace Prepaid.Devices.Dlt645;

/// <summary>Data identifiers, written DI3..DI0 as in the standard's tables; sent DI0 first.</summary>
public static class Dlt645DataIds
{
    /// <summary>Combined active total energy, XXXXXX.XX kWh.</summary>
    public const uint CombinedActiveTotal = 0x0000_0000;

    /// <summary>Forward active total energy, XXXXXX.XX kWh. Tariff n (1..4: 尖峰平谷) is 0x0001_0n00.</summary>
    public const uint ForwardActiveTotal = 0x0001_0000;

    /// <summary>Forward active block: total then tariffs 1..4, 5 × 4 bytes.</summary>
    public const uint ForwardActiveBlock = 0x0001_FF00;

    /// <summary>Status word 3: relay state (bit4), relay command (bit6), keep-power.</summary>
    public const uint StatusWord3 = 0x0400_0503;

    public const uint PhaseAVoltage = 0x0201_0100;

    /// <summary>Forward active energy of tariff period 1..4 (DI1 carries the tariff number).</summary>
    public static uint ForwardActivePeriod(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(period, 63);
        return ForwardActiveTotal | (uint)(period << 8);
    }

    internal static void Write(uint dataId, Span<byte> destination)
    {
        // DI0 (lowest byte) first on the wire.
        destination[0] = (byte)dataId;
        destination[1] = (byte)(dataId >> 8);
        destination[2] = (byte)(dataId >> 16);
        destination[3] = (byte)(dataId >> 24);
    }

    internal static uint Read(ReadOnlySpan<byte> source) =>
        (uint)(source[0] | source[1] << 8 | source[2] << 16 | source[3] << 24);
}
