namespace Prepaid.Devices.Codec;

/// <summary>CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF, no final XOR.</summary>
/// <remarks>
/// The wire carries the low byte first (libmodbus <c>_modbus_rtu_send_msg_pre</c>), which is the
/// opposite of every other 16-bit Modbus field; <see cref="Append"/> and <see cref="Matches"/>
/// keep that exception in one place.
/// </remarks>
public static class Crc16Modbus
{
    // A 256-entry table trades 512 bytes for a per-byte cost of one lookup; frames are at most
    // 256 bytes, but a simulator answering a whole bus computes thousands of these per second.
    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (var b in data)
        {
            crc = (ushort)((crc >> 8) ^ Table[(crc ^ b) & 0xFF]);
        }
        return crc;
    }

    /// <summary>Writes the CRC of <paramref name="data"/> (low byte first) into <paramref name="destination"/>.</summary>
    public static void Append(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var crc = Compute(data);
        destination[0] = (byte)(crc & 0xFF);
        destination[1] = (byte)(crc >> 8);
    }

    /// <summary>True when the last two bytes of <paramref name="frame"/> are the CRC of the rest.</summary>
    public static bool Matches(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 3)
        {
            return false;
        }
        var crc = Compute(frame[..^2]);
        return frame[^2] == (byte)(crc & 0xFF) && frame[^1] == (byte)(crc >> 8);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
            table[i] = crc;
        }
        return table;
    }
}
