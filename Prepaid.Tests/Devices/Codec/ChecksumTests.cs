using Prepaid.Devices.Codec;
using Xunit;

namespace Prepaid.Tests.Devices.Codec;

public class ChecksumTests
{
    [Theory]
    // notes §2.7 / §3.4: checksums RAN there; the CS byte of each golden frame.
    [InlineData("68 61 01 00 00 00 00 68 11 04 33 33 34 33", 0x14)]
    [InlineData("68 61 01 00 00 00 00 68 91 08 33 33 34 33 59 33 33 33", 0x8A)]
    [InlineData("68 10 12 00 00 00 00 00 00 01 03 90 1F 00", 0x3D)]
    [InlineData("FF 01", 0x00)]
    [InlineData("", 0x00)]
    public void Sum8_KnownInput_ReturnsSumMod256(string hex, int expected)
    {
        Assert.Equal((byte)expected, Checksum.Sum8(Hex.Parse(hex)));
    }
}
