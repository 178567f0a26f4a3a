namespace Prepaid.Devices.Cjt188;

public enum Cjt188ValveState
{
    Open = 0,
    Closed = 1,

    /// <summary>Field value 10: not defined by KingDa; reported as is rather than guessed.</summary>
    Undefined = 2,

    /// <summary>Field value 11: valve abnormal / fault.</summary>
    Fault = 3,
}

/// <summary>The 2-byte ST status word; ST0 carries valve and battery, ST1 is vendor-defined.</summary>
public readonly record struct Cjt188Status(byte St0, byte St1, Cjt188ValveState Valve, bool BatteryLow)
{
    public static Cjt188Status Decode(byte st0, byte st1, Cjt188Options options) =>
        new(st0, st1, (Cjt188ValveState)((st0 >> options.ValveFieldShift) & 0x03), (st0 & options.BatteryLowMask) != 0);

    /// <summary>Meter side, for scripted test peers: builds ST0 in the vendor's layout; ST1 is left 0.</summary>
    public static byte EncodeSt0(Cjt188ValveState valve, bool batteryLow, Cjt188Options options) =>
        (byte)(((int)valve << options.ValveFieldShift) | (batteryLow ? options.BatteryLowMask : 0));
}
