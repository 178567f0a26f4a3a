using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>
/// The meter's own frame reader and writer for DL/T 645-2007, written from the standard's frame table (notes §2.2) and
/// its published worked frames (§2.7), and deliberately not built on <c>Prepaid.Devices.Dlt645</c>: a simulator that uses
/// the codec agrees with every bug the codec has. Nothing is shared with the codec but the byte layout.
/// </summary>
/// <remarks>
/// <code>
/// [FE FE FE FE]  68  A0 … A5  68  C  L  DATA (each byte +0x33 on the wire)  CS  16
///  CS = sum of the bytes from the first 68 to the last DATA byte, mod 256. A0 holds the lowest two address digits.
///  C: D7 1 = reply, D6 1 = abnormal reply; DATA of a read: DI0 DI1 DI2 DI3 (lowest byte first), then the value.
/// </code>
/// </remarks>
internal static class Dlt645MeterFrames
{
    /// <summary>A request as the meter sees it: the 6 address bytes as sent, C, and the DATA with the 0x33 removed.</summary>
    internal sealed record Request(byte[] Address, byte Control, byte[] Data);

    public static DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        consumed = 0;
        var start = 0;
        while (start < buffer.Length && buffer[start] == 0xFE) start++;
        if (start == buffer.Length) return DecodeStatus.NeedMore;
        var f = buffer[start..];
        if (f[0] != 0x68 || (f.Length >= 8 && f[7] != 0x68))
        {
            consumed = start + 1;
            return DecodeStatus.Invalid;
        }
        if (f.Length < 10) return DecodeStatus.NeedMore;
        var length = f[9];
        if (f.Length < 12 + length) return DecodeStatus.NeedMore;
        var sum = 0;
        for (var i = 0; i < 10 + length; i++) sum += f[i];
        if ((byte)sum != f[10 + length] || f[11 + length] != 0x16)
        {
            consumed = start + 1;
            return DecodeStatus.Invalid;
        }
        consumed = start + 12 + length;
        return DecodeStatus.Ok;
    }

    public static Request Parse(ReadOnlySpan<byte> frame)
    {
        var start = 0;
        while (frame[start] == 0xFE) start++;
        var f = frame[start..];
        var data = new byte[f[9]];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(f[10 + i] - 0x33);
        return new Request(f.Slice(1, 6).ToArray(), f[8], data);
    }

    /// <summary>A reply with two FE wake-up bytes in front, as meters send; DATA is scrambled here.</summary>
    public static byte[] Build(ReadOnlySpan<byte> address, byte control, ReadOnlySpan<byte> data, int preamble = 2)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < preamble; i++) bytes.Add(0xFE);
        var first = bytes.Count;
        bytes.Add(0x68);
        bytes.AddRange(address.ToArray());
        bytes.Add(0x68);
        bytes.Add(control);
        bytes.Add((byte)data.Length);
        foreach (var b in data) bytes.Add((byte)(b + 0x33));
        var sum = 0;
        for (var i = first; i < bytes.Count; i++) sum += bytes[i];
        bytes.Add((byte)sum);
        bytes.Add(0x16);
        return [.. bytes];
    }

    /// <summary>A printed address ("000000000161") as sent: the lowest two digits first (61 01 00 00 00 00).</summary>
    public static byte[] WireAddress(string printed)
    {
        var wire = new byte[printed.Length / 2];
        for (var i = 0; i < wire.Length; i++)
        {
            var pair = printed.Substring(printed.Length - 2 * (i + 1), 2);
            wire[i] = (byte)(HexDigit(pair[0]) << 4 | HexDigit(pair[1]));
        }
        return wire;
    }

    public static uint DataId(ReadOnlySpan<byte> data) => (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);

    public static byte[] DataIdBytes(uint dataId) => [(byte)dataId, (byte)(dataId >> 8), (byte)(dataId >> 16), (byte)(dataId >> 24)];

    /// <summary>A non-negative number as packed BCD, least significant pair first, wrapping at the field's size like a register.</summary>
    public static byte[] Bcd(long value, int bytes)
    {
        var field = new byte[bytes];
        for (var i = 0; i < bytes; i++)
        {
            var pair = (int)(value % 100);
            field[i] = (byte)(pair / 10 << 4 | pair % 10);
            value /= 100;
        }
        return field;
    }

    /// <summary>Reads packed BCD, least significant pair first; null on a nibble above 9.</summary>
    public static long? FromBcd(ReadOnlySpan<byte> field)
    {
        long value = 0;
        for (var i = field.Length - 1; i >= 0; i--)
        {
            int high = field[i] >> 4, low = field[i] & 0x0F;
            if (high > 9 || low > 9) return null;
            value = value * 100 + high * 10 + low;
        }
        return value;
    }

    private static int HexDigit(char c) => c <= '9' ? c - '0' : char.ToUpperInvariant(c) - 'A' + 10;
}
