namespace Prepaid.Devices.Codec;

/// <summary>Packed BCD helpers. Multi-byte values are least-significant byte first, as both
/// DL/T 645 and CJ/T 188 send them.</summary>
public static class Bcd
{
    /// <summary>Encodes 0..99 as one packed BCD byte.</summary>
    public static byte FromInt(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99);
        return (byte)(((value / 10) << 4) | (value % 10));
    }

    /// <summary>Decodes one packed BCD byte; false when either nibble is above 9.</summary>
    public static bool TryToInt(byte value, out int result)
    {
        int high = value >> 4, low = value & 0x0F;
        result = high * 10 + low;
        return high <= 9 && low <= 9;
    }

    /// <summary>Writes <paramref name="value"/> as BCD, least-significant byte first, filling
    /// all of <paramref name="destination"/>.</summary>
    public static void WriteLittleEndian(ulong value, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = FromInt((int)(value % 100));
            value /= 100;
        }
        if (value != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit the BCD field.");
        }
    }

    /// <summary>Reads a least-significant-byte-first BCD number; false on any non-decimal nibble.</summary>
    public static bool TryReadLittleEndian(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        // Up to 9 bytes (18 digits) fit a ulong; longer fields are not used by either protocol.
        if (source.Length > 9)
        {
            return false;
        }
        for (var i = source.Length - 1; i >= 0; i--)
        {
            if (!TryToInt(source[i], out var pair))
            {
                value = 0;
                return false;
            }
            value = value * 100 + (ulong)pair;
        }
        return true;
    }
}
