namespace Prepaid.Devices.Cjt188;

/// <summary>How a vendor orders the two DI bytes on the wire.</summary>
public enum Cjt188DiOrder
{
    /// <summary>901F sent as <c>90 1F</c>: the test frames in protocols-notes §3.4 and most vendors.</summary>
    HighByteFirst,

    /// <summary>901F sent as <c>1F 90</c>: python_cjt188's active read, KingDa's valve layout.</summary>
    LowByteFirst,
}

/// <summary>Per-vendor differences of CJ/T 188-2004 (protocols-notes §3.2, §3.5): the field
/// does not agree on DI byte order or on the ST bit numbering, so both are configuration.</summary>
public sealed record Cjt188Options
{
    public Cjt188DiOrder DiOrder { get; init; } = Cjt188DiOrder.HighByteFirst;

    /// <summary>Position of the 2-bit valve field in ST0: 0 for KingDa (bits 0–1), 6 for the
    /// sdqr header (masks 0x40 closed / 0xC0 fault).</summary>
    public int ValveFieldShift { get; init; }

    /// <summary>Battery-low flag in ST0: 0x04 for KingDa (bit 2), 0x20 for sdqr.</summary>
    public byte BatteryLowMask { get; init; } = 0x04;

    /// <summary>Decimal places of the 4-byte BCD flow; 2 in common water meters (XXXXXX.XX).</summary>
    public int FlowDecimals { get; init; } = 2;

    /// <summary>FE bytes sent before a request to wake an M-Bus/RS-485 receiver.</summary>
    public int PreambleLength { get; init; } = 2;

    /// <summary>KingDa bit layout, DI high byte first.</summary>
    public static Cjt188Options Default { get; } = new();

    /// <summary>The sdqr header's layout: valve in bits 6–7, battery 0x20.</summary>
    public static Cjt188Options HighBitStatus { get; } = new() { ValveFieldShift = 6, BatteryLowMask = 0x20 };

    internal void WriteDataId(ushort dataId, Span<byte> destination)
    {
        byte high = (byte)(dataId >> 8), low = (byte)dataId;
        destination[0] = DiOrder == Cjt188DiOrder.HighByteFirst ? high : low;
        destination[1] = DiOrder == Cjt188DiOrder.HighByteFirst ? low : high;
    }

    internal ushort ReadDataId(ReadOnlySpan<byte> source) =>
        DiOrder == Cjt188DiOrder.HighByteFirst
            ? (ushort)(source[0] << 8 | source[1])
            : (ushort)(source[1] << 8 | source[0]);
}
