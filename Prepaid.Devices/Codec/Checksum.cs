namespace Prepaid.Devices.Codec;

/// <summary>The additive checksum shared by DL/T 645 and CJ/T 188: sum of bytes modulo 256.</summary>
public static class Checksum
{
    public static byte Sum8(ReadOnlySpan<byte> data)
    {
        var sum = 0;
        foreach (var b in data)
        {
            sum += b;
        }
        return (byte)sum;
    }
}
