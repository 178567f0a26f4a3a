namespace Prepaid.Devices.Modbus;

/// <summary>Order of the two registers that carry a 32-bit value: device-specific (§1.2).</summary>
public enum WordOrder
{
    /// <summary>High word in the lower register address ("ABCD"); the common default.</summary>
    HighFirst,

    /// <summary>Low word first ("CDAB").</summary>
    LowFirst,
}

public static class ModbusWords
{
    public static uint ToUInt32(ushort first, ushort second, WordOrder order) =>
        order == WordOrder.HighFirst ? ((uint)first << 16) | second : ((uint)second << 16) | first;

    public static (ushort First, ushort Second) FromUInt32(uint value, WordOrder order)
    {
        ushort high = (ushort)(value >> 16), low = (ushort)value;
        return order == WordOrder.HighFirst ? (high, low) : (low, high);
    }
}
