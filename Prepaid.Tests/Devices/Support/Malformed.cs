using CsCheck;
using Prepaid.Devices.Codec;

namespace Prepaid.Tests.Devices.Support;

/// <summary>Generators of malformed input for the decoder property tests: random bytes, truncated
/// valid frames, flipped checksum bytes, wrong length fields, and single-byte corruption.</summary>
public static class Malformed
{
    /// <summary>Every sampled input is malformed in one of the <see cref="Kind"/> ways.</summary>
    public const int Iterations = 100_000;

    public enum Kind
    {
        Random,
        Truncated,
        FlippedChecksum,
        WrongLength,
        CorruptByte,
    }

    /// <param name="valid">Valid frames of the codec under test.</param>
    /// <param name="checksumOffsetFromEnd">Where the checksum sits, counted from the end (1 = last byte).</param>
    /// <param name="lengthOffset">Index of the length field in a frame without preamble.</param>
    public static Gen<(Kind Kind, byte[] Bytes)> Inputs(Gen<byte[]> valid, int checksumOffsetFromEnd, int lengthOffset) =>
        from kind in Gen.Enum<Kind>()
        from frame in valid
        from position in Gen.Int[0, 1000]
        from value in Gen.Byte[1, 255]
        from noise in Gen.Byte.Array[0, 300]
        select (kind, Mutate(kind, frame, position, value, noise, checksumOffsetFromEnd, lengthOffset));

    private static byte[] Mutate(Kind kind, byte[] frame, int position, byte value, byte[] noise, int csFromEnd, int lengthOffset)
    {
        var bytes = (byte[])frame.Clone();
        switch (kind)
        {
            case Kind.Random:
                return noise;
            case Kind.Truncated:
                return bytes[..(position % bytes.Length)];
            case Kind.FlippedChecksum:
                // XOR with a non-zero value always changes the byte, so the checksum is wrong.
                bytes[^csFromEnd] ^= value;
                return bytes;
            case Kind.WrongLength:
                bytes[lengthOffset] ^= value;
                return bytes;
            default:
                bytes[position % bytes.Length] ^= value;
                return bytes;
        }
    }

    /// <summary>Runs a decoder over the whole buffer the way a transport does (decode, drop
    /// Consumed, repeat) and hands each Ok frame's bytes to <paramref name="onOk"/>.</summary>
    public static void DecodeAll<T>(byte[] bytes, DecodeFn<T> decode, Action<T, byte[]> onOk)
        where T : class
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var result = decode(bytes.AsSpan(offset));
            if (result.Status == DecodeStatus.NeedMore)
            {
                if (result.Consumed != 0)
                {
                    throw new InvalidOperationException("NeedMore must not consume");
                }
                return;
            }
            if (result.Consumed < 1 || offset + result.Consumed > bytes.Length)
            {
                throw new InvalidOperationException($"consumed {result.Consumed} at {offset} of {bytes.Length}");
            }
            if (result.Status == DecodeStatus.Ok)
            {
                onOk(result.Frame!, bytes[offset..(offset + result.Consumed)]);
            }
            offset += result.Consumed;
        }
    }

    public delegate DecodeResult<T> DecodeFn<T>(ReadOnlySpan<byte> buffer) where T : class;

    /// <summary>Independent of the codec's own helper: a plain loop over the bytes.</summary>
    public static bool SumMatches(ReadOnlySpan<byte> frameWithoutPreamble)
    {
        var sum = 0;
        for (var i = 0; i < frameWithoutPreamble.Length - 2; i++)
        {
            sum = (sum + frameWithoutPreamble[i]) & 0xFF;
        }
        return frameWithoutPreamble[^2] == sum;
    }

    public static ReadOnlySpan<byte> SkipPreamble(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && bytes[i] == 0xFE)
        {
            i++;
        }
        return bytes[i..];
    }

    /// <summary>Bit-by-bit CRC-16/MODBUS, deliberately not the table-driven production code.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> frame)
    {
        ushort crc = 0xFFFF;
        foreach (var b in frame[..^2])
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
        }
        return frame[^2] == (crc & 0xFF) && frame[^1] == crc >> 8;
    }
}
