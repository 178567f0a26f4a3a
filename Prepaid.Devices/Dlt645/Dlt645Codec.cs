using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Dlt645;

/// <summary>DL/T 645-2007 frame codec.</summary>
/// <remarks>
/// <code>
/// [FE FE FE FE]  wake-up preamble, not part of the frame or the checksum
/// 00     0x68
/// 01-06  address A0..A5, BCD, lowest two digits first
/// 07     0x68
/// 08     C control code
/// 09     L data length
/// 10..   DATA, L bytes, each sent +0x33 (so an all-zero payload is not mistaken for line idle)
/// 10+L   CS = sum of bytes 00..9+L, mod 256
/// 11+L   0x16
/// </code>
/// </remarks>
public static class Dlt645Codec
{
    public const byte Start = 0x68;
    public const byte End = 0x16;
    public const byte Preamble = 0xFE;
    public const byte Scramble = 0x33;
    private const int Overhead = 12;

    public static byte[] Encode(Dlt645Frame frame, int preambleLength = 4)
    {
        if (frame.Data.Length > byte.MaxValue)
        {
            throw new ArgumentException("DATA longer than 255 bytes.", nameof(frame));
        }
        var bytes = new byte[preambleLength + Overhead + frame.Data.Length];
        bytes.AsSpan(0, preambleLength).Fill(Preamble);                         // FE…   preamble
        var f = bytes.AsSpan(preambleLength);
        f[0] = Start;                                                            // 00     0x68
        MeterAddress.Write(frame.Address, f.Slice(1, 6));                        // 01-06  address, reversed BCD
        f[7] = Start;                                                            // 07     0x68
        f[8] = frame.Control;                                                    // 08     C
        f[9] = (byte)frame.Data.Length;                                          // 09     L
        for (var i = 0; i < frame.Data.Length; i++)
        {
            f[10 + i] = (byte)(frame.Data[i] + Scramble);                        // 10..   DATA + 0x33
        }
        var dataEnd = 10 + frame.Data.Length;
        f[dataEnd] = Checksum.Sum8(f[..dataEnd]);                                // CS
        f[dataEnd + 1] = End;                                                    // 0x16
        return bytes;
    }

    /// <summary>Finds one checked frame at the start of <paramref name="buffer"/>, skipping any FE
    /// preamble. Never throws; on Invalid drop <c>Consumed</c> bytes and call again.</summary>
    public static DecodeResult<Dlt645Frame> Decode(ReadOnlySpan<byte> buffer)
    {
        var start = 0;
        while (start < buffer.Length && buffer[start] == Preamble)
        {
            start++;
        }
        if (start == buffer.Length)
        {
            return DecodeResult<Dlt645Frame>.NeedMore();
        }
        if (buffer[start] != Start)
        {
            return DecodeResult<Dlt645Frame>.Invalid("no 0x68 start byte", start + 1);
        }
        var f = buffer[start..];
        if (f.Length < 10)
        {
            return f.Length >= 8 && f[7] != Start
                ? DecodeResult<Dlt645Frame>.Invalid("no second 0x68", start + 1)
                : DecodeResult<Dlt645Frame>.NeedMore();
        }
        if (f[7] != Start)
        {
            return DecodeResult<Dlt645Frame>.Invalid("no second 0x68", start + 1);
        }
        var length = f[9];
        if (f.Length < Overhead + length)
        {
            return DecodeResult<Dlt645Frame>.NeedMore();
        }
        var dataEnd = 10 + length;
        if (f[dataEnd] != Checksum.Sum8(f[..dataEnd]))
        {
            return DecodeResult<Dlt645Frame>.Invalid("checksum mismatch", start + 1);
        }
        if (f[dataEnd + 1] != End)
        {
            return DecodeResult<Dlt645Frame>.Invalid("no 0x16 end byte", start + 1);
        }
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)(f[10 + i] - Scramble);
        }
        var frame = new Dlt645Frame(MeterAddress.Read(f.Slice(1, 6)), f[8], data);
        return DecodeResult<Dlt645Frame>.Ok(frame, start + Overhead + length);
    }
}
