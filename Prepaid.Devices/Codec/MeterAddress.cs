namespace Prepaid.Devices.Codec;

/// <summary>Converts between a printed meter address ("000000000161") and its wire bytes.</summary>
/// <remarks>
/// DL/T 645 (6 bytes) and CJ/T 188 (7 bytes) print the address most-significant digit first but
/// send the lowest two digits first. We keep the printed form as hex nibbles rather than a number
/// because the wildcard (AA) and broadcast (99) bytes must round-trip unchanged.
/// </remarks>
public static class MeterAddress
{
    public static void Write(string printed, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(printed);
        if (printed.Length != destination.Length * 2)
        {
            throw new ArgumentException($"Address must have {destination.Length * 2} digits.", nameof(printed));
        }
        for (var i = 0; i < destination.Length; i++)
        {
            // Wire byte i holds printed digits counted from the right.
            var pos = printed.Length - 2 * (i + 1);
            destination[i] = Convert.ToByte(printed.Substring(pos, 2), 16);
        }
    }

    public static string Read(ReadOnlySpan<byte> wire)
    {
        Span<char> chars = stackalloc char[wire.Length * 2];
        for (var i = 0; i < wire.Length; i++)
        {
            var b = wire[wire.Length - 1 - i];
            chars[2 * i] = Hex(b >> 4);
            chars[2 * i + 1] = Hex(b & 0x0F);
        }
        return new string(chars);
    }

    private static char Hex(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
