using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>How one vendor's water meter speaks CJ/T 188-2004 (protocols-notes §3.2–3.5): the byte order of each DI, the
/// control code of valve control, the ST bits. The meter-side twin of the codec's options, kept separate on purpose.</summary>
/// <param name="ReadDiLowFirst">901F on the wire as <c>1F 90</c>.</param>
/// <param name="ValveDiLowFirst">A017 on the wire as <c>17 A0</c>.</param>
/// <param name="ValveControl">0x04 (write data) or 0x2A.</param>
/// <param name="ValveShift">Bit position of the 2-bit valve field in ST0 (0 KingDa, 6 sdqr).</param>
/// <param name="BatteryMask">Battery-low bit of ST0 (0x04 KingDa, 0x20 sdqr).</param>
public sealed record Cjt188MeterDialect(bool ReadDiLowFirst = true, bool ValveDiLowFirst = false, byte ValveControl = 0x04,
    int ValveShift = 0, byte BatteryMask = 0x04)
{
    /// <summary>The SC meter of the published exchange: read <c>1F 90</c>, valve <c>A0 17</c>, C = 04, valve in ST0 bits 0–1.</summary>
    public static Cjt188MeterDialect Sc { get; } = new();
}

/// <summary>
/// The meter's own frame reader and writer for CJ/T 188-2004, written from the standard's frame table (notes §3.2) and the
/// SC meter's published exchange, and deliberately not built on <c>Prepaid.Devices.Cjt188</c>: a simulator that uses the
/// codec agrees with every bug the codec has, so tests against it would pass. Here nothing is shared but the byte layout.
/// </summary>
/// <remarks>
/// <code>
/// [FE …]  68  T  A0 A1 A2 A3 A4 A5 A6  C  L  DI0 DI1 SER DATA…  CS  16
///  CS = sum of the bytes from 68 to the last DATA byte, mod 256; no +0x33 (unlike DL/T 645).
/// </code>
/// </remarks>
internal static class Cjt188MeterFrames
{
    /// <summary>A request as the meter's UART sees it: meter type, the 7 address bytes as sent, C, and the L bytes.</summary>
    internal sealed record Request(byte Type, byte[] Address, byte Control, byte[] Body);

    /// <summary>Finds one complete, checked frame at the start of the buffer; a meter skips anything before a 0x68.</summary>
    public static DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        consumed = 0;
        var start = 0;
        while (start < buffer.Length && buffer[start] == 0xFE) start++;
        if (start == buffer.Length) return DecodeStatus.NeedMore;
        if (buffer[start] != 0x68)
        {
            consumed = start + 1;
            return DecodeStatus.Invalid;
        }
        if (buffer.Length - start < 11) return DecodeStatus.NeedMore;
        var length = buffer[start + 10];
        var total = 13 + length;
        if (buffer.Length - start < total) return DecodeStatus.NeedMore;
        var sum = 0;
        for (var i = 0; i < 11 + length; i++) sum += buffer[start + i];
        if ((byte)sum != buffer[start + 11 + length] || buffer[start + 12 + length] != 0x16)
        {
            consumed = start + 1;
            return DecodeStatus.Invalid;
        }
        consumed = start + total;
        return DecodeStatus.Ok;
    }

    /// <summary>The parts of a frame <see cref="Scan"/> accepted.</summary>
    public static Request Parse(ReadOnlySpan<byte> frame)
    {
        var start = 0;
        while (frame[start] == 0xFE) start++;
        var f = frame[start..];
        return new Request(f[1], f.Slice(2, 7).ToArray(), f[9], f.Slice(11, f[10]).ToArray());
    }

    /// <summary>A reply frame with a short wake-up preamble, as meters send.</summary>
    public static byte[] Build(byte type, ReadOnlySpan<byte> address, byte control, ReadOnlySpan<byte> body)
    {
        var bytes = new List<byte> { 0xFE, 0x68, type };
        bytes.AddRange(address.ToArray());
        bytes.Add(control);
        bytes.Add((byte)body.Length);
        bytes.AddRange(body.ToArray());
        var sum = 0;
        for (var i = 1; i < bytes.Count; i++) sum += bytes[i];
        bytes.Add((byte)sum);
        bytes.Add(0x16);
        return [.. bytes];
    }

    /// <summary>A 14-digit printed address ("00000000000012") as sent: the lowest two digits first.</summary>
    public static byte[] WireAddress(string printed)
    {
        var wire = new byte[7];
        for (var i = 0; i < 7; i++)
        {
            var pair = printed.Substring(printed.Length - 2 * (i + 1), 2);
            wire[i] = (byte)(HexDigit(pair[0]) << 4 | HexDigit(pair[1]));
        }
        return wire;
    }

    /// <summary>Two DI bytes in the order the dialect sends them.</summary>
    public static byte[] Di(byte high, byte low, bool lowFirst) => lowFirst ? [low, high] : [high, low];

    /// <summary>One packed BCD byte of 0..99.</summary>
    public static byte Bcd(int value) => (byte)(value / 10 << 4 | value % 10);

    /// <summary>A decimal number as packed BCD, least significant pair first, filling the field (and wrapping as a register does).</summary>
    public static void BcdLowFirst(long value, Span<byte> field)
    {
        for (var i = 0; i < field.Length; i++)
        {
            field[i] = Bcd((int)(value % 100));
            value /= 100;
        }
    }

    private static int HexDigit(char c) => c <= '9' ? c - '0' : char.ToUpperInvariant(c) - 'A' + 10;
}
