using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Cjt188;

/// <summary>CJ/T 188-2004 frame codec.</summary>
/// <remarks>
/// <code>
/// [FE FE …] wake-up preamble, not part of the frame or checksum
/// 00     0x68
/// 01     T meter type
/// 02-08  address A0..A6, BCD, lowest two digits first
/// 09     C control code
/// 10     L = bytes from DI0 to the end of DATA
/// 11..   DI0 DI1 SER DATA… (no +0x33 scrambling, unlike DL/T 645)
/// 11+L   CS = sum of bytes 00..10+L, mod 256
/// 12+L   0x16
/// </code>
/// </remarks>
public static class Cjt188Codec
{
    public const byte Start = 0x68;
    public const byte End = 0x16;
    public const byte Preamble = 0xFE;
    private const int Overhead = 13;

    public static byte[] Encode(Cjt188Frame frame, int preambleLength = 0)
    {
        if (frame.Data.Length > byte.MaxValue)
        {
            throw new ArgumentException("DATA longer than 255 bytes.", nameof(frame));
        }
        var bytes = new byte[preambleLength + Overhead + frame.Data.Length];
        bytes.AsSpan(0, preambleLength).Fill(Preamble);                         // FE…   preamble
        var f = bytes.AsSpan(preambleLength);
        f[0] = Start;                                                            // 00     0x68
        f[1] = frame.MeterType;                                                  // 01     T
        MeterAddress.Write(frame.Address, f.Slice(2, 7));                        // 02-08  address, reversed BCD
        f[9] = frame.Control;                                                    // 09     C
        f[10] = (byte)frame.Data.Length;                                         // 10     L
        frame.Data.CopyTo(f[11..]);                                              // 11..   DI SER DATA
        var dataEnd = 11 + frame.Data.Length;
        f[dataEnd] = Checksum.Sum8(f[..dataEnd]);                                // CS
        f[dataEnd + 1] = End;                                                    // 0x16
        return bytes;
    }

    /// <summary>Finds one checked frame at the start of <paramref name="buffer"/>, skipping any FE
    /// preamble. Never throws; on Invalid drop <c>Consumed</c> bytes and call again.</summary>
    public static DecodeResult<Cjt188Frame> Decode(ReadOnlySpan<byte> buffer)
    {
        var start = 0;
        while (start < buffer.Length && buffer[start] == Preamble)
        {
            start++;
        }
        if (start == buffer.Length)
        {
            return DecodeResult<Cjt188Frame>.NeedMore();
        }
        if (buffer[start] != Start)
        {
            return DecodeResult<Cjt188Frame>.Invalid("no 0x68 start byte", start + 1);
        }
        var f = buffer[start..];
        if (f.Length < 11)
        {
            return DecodeResult<Cjt188Frame>.NeedMore();
        }
        var length = f[10];
        if (length < 3)
        {
            // Every frame carries at least DI0 DI1 SER.
            return DecodeResult<Cjt188Frame>.Invalid("L shorter than DI + SER", start + 1);
        }
        if (f.Length < Overhead + length)
        {
            return DecodeResult<Cjt188Frame>.NeedMore();
        }
        var dataEnd = 11 + length;
        if (f[dataEnd] != Checksum.Sum8(f[..dataEnd]))
        {
            return DecodeResult<Cjt188Frame>.Invalid("checksum mismatch", start + 1);
        }
        if (f[dataEnd + 1] != End)
        {
            return DecodeResult<Cjt188Frame>.Invalid("no 0x16 end byte", start + 1);
        }
        var frame = new Cjt188Frame(f[1], MeterAddress.Read(f.Slice(2, 7)), f[9], f[11..dataEnd].ToArray());
        return DecodeResult<Cjt188Frame>.Ok(frame, start + Overhead + length);
    }
}
