using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Dlt645;

/// <summary>Value formats of the data items we read. Energy is XXXXXX.XX kWh in 4 BCD bytes,
/// least significant first; we carry it as integer watt-hours (1 digit of 0.01 kWh = 10 Wh) so
/// no floating point ever touches a billed quantity.</summary>
public static class Dlt645Values
{
    public const int EnergyLength = 4;

    /// <summary>Largest encodable energy: 999999.99 kWh.</summary>
    public const long MaxEnergyWh = 99_999_999L * 10;

    public static bool TryReadEnergyWh(ReadOnlySpan<byte> value, out long energyWh)
    {
        energyWh = 0;
        if (value.Length != EnergyLength || !Bcd.TryReadLittleEndian(value, out var hundredthsKwh))
        {
            return false;
        }
        energyWh = (long)hundredthsKwh * 10;
        return true;
    }

    /// <summary>Energy block (0001FF00): total then tariffs 1..4.</summary>
    public static bool TryReadEnergyBlockWh(ReadOnlySpan<byte> value, out long[] energiesWh)
    {
        energiesWh = [];
        if (value.Length == 0 || value.Length % EnergyLength != 0)
        {
            return false;
        }
        var result = new long[value.Length / EnergyLength];
        for (var i = 0; i < result.Length; i++)
        {
            if (!TryReadEnergyWh(value.Slice(i * EnergyLength, EnergyLength), out result[i]))
            {
                return false;
            }
        }
        energiesWh = result;
        return true;
    }

    /// <summary>Encodes energy, truncated to 0.01 kWh (a meter display never rounds up) and wrapped
    /// at 1,000,000 kWh as a register rollover does.</summary>
    public static byte[] EnergyWh(long energyWh)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyWh);
        var bytes = new byte[EnergyLength];
        Bcd.WriteLittleEndian((ulong)(energyWh / 10 % 100_000_000), bytes);
        return bytes;
    }

    public static bool TryReadStatusWord(ReadOnlySpan<byte> value, out ushort word)
    {
        // Status words are 2 bytes, low byte first like every multi-byte 645 field; not BCD.
        word = 0;
        if (value.Length != 2)
        {
            return false;
        }
        word = (ushort)(value[0] | value[1] << 8);
        return true;
    }

    public static byte[] StatusWord(ushort word) => [(byte)word, (byte)(word >> 8)];
}
