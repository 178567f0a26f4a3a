namespace Prepaid.Devices.Cjt188;

/// <summary>How a vendor orders the two DI bytes on the wire.</summary>
public enum Cjt188DiOrder
{
    /// <summary>901F sent as <c>90 1F</c>: the self-test frames of protocols-notes §3.4, the RD-W10 ultrasonic meter document.</summary>
    HighByteFirst,

    /// <summary>901F sent as <c>1F 90</c>: python_cjt188's active read, the SC meter exchange, the sdqr node firmware.</summary>
    LowByteFirst,
}

/// <summary>
/// Per-vendor differences of CJ/T 188-2004 (protocols-notes §3.2, §3.5). The field does not agree on the DI byte order
/// (and one meter may mix orders between commands), on the ST bit numbering, or on the control code of valve control,
/// so each is a setting of the meter's profile.
/// </summary>
/// <remarks>
/// Defaults follow the field evidence (issue 11): three of four sources send the read DI low byte first (<c>1F 90</c>:
/// python_cjt188's active read; the SC meter exchange published at cnblogs.com/yangykaifa/p/7010777.html and
/// hftangyu.com/563.html; the sdqr node's <c>CJ188_DI0_READ_DATA 0x1f</c> / <c>CJ188_DI1_READ_DATA 0x90</c>), and the
/// valve DI high byte first (<c>A0 17</c>: the same SC meter, and the 0x2A firmware's frames) — one meter mixing both.
/// The read-address DI 810A stays <c>81 0A</c>, as every source sends it.
/// </remarks>
public sealed record Cjt188Options
{
    /// <summary>Order of DI 901F (read current data) in requests and replies.</summary>
    public Cjt188DiOrder ReadDiOrder { get; init; } = Cjt188DiOrder.LowByteFirst;

    /// <summary>Order of DI A017 (valve control) in requests and replies.</summary>
    public Cjt188DiOrder ValveDiOrder { get; init; } = Cjt188DiOrder.HighByteFirst;

    /// <summary>Order of DI 810A (read address).</summary>
    public Cjt188DiOrder AddressDiOrder { get; init; } = Cjt188DiOrder.HighByteFirst;

    /// <summary>Control code of valve control: 0x04 (write data, the standard's) or 0x2A, which common water-meter
    /// firmwares use (reply 0xAA).</summary>
    public byte ValveControlCode { get; init; } = Cjt188Functions.WriteData;

    /// <summary>Position of the 2-bit valve field in ST0: 0 for KingDa (bits 0–1), 6 for the
    /// sdqr header (masks 0x40 closed / 0xC0 fault).</summary>
    public int ValveFieldShift { get; init; }

    /// <summary>Battery-low flag in ST0: 0x04 for KingDa (bit 2), 0x20 for sdqr.</summary>
    public byte BatteryLowMask { get; init; } = 0x04;

    /// <summary>Decimal places of the 4-byte BCD flow; 2 in common water meters (XXXXXX.XX).</summary>
    public int FlowDecimals { get; init; } = 2;

    /// <summary>FE bytes sent before a request to wake an M-Bus/RS-485 receiver.</summary>
    public int PreambleLength { get; init; } = 2;

    /// <summary>The field defaults: read <c>1F 90</c>, valve <c>A0 17</c> with C = 0x04, KingDa ST bits.</summary>
    public static Cjt188Options Default { get; } = new();

    /// <summary>The sdqr header's layout: valve in bits 6–7, battery 0x20.</summary>
    public static Cjt188Options HighBitStatus { get; } = new() { ValveFieldShift = 6, BatteryLowMask = 0x20 };

    internal static void WriteDataId(Cjt188DiOrder order, ushort dataId, Span<byte> destination)
    {
        byte high = (byte)(dataId >> 8), low = (byte)dataId;
        destination[0] = order == Cjt188DiOrder.HighByteFirst ? high : low;
        destination[1] = order == Cjt188DiOrder.HighByteFirst ? low : high;
    }

    internal static ushort ReadDataId(Cjt188DiOrder order, ReadOnlySpan<byte> source) =>
        order == Cjt188DiOrder.HighByteFirst
            ? (ushort)(source[0] << 8 | source[1])
            : (ushort)(source[1] << 8 | source[0]);
}
