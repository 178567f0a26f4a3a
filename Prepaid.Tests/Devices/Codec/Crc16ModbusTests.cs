using Prepaid.Devices.Codec;
using Xunit;

namespace Prepaid.Tests.Devices.Codec;

public class Crc16ModbusTests
{
    [Theory]
    // notes §1.5: RAN vectors, CRC transmitted low byte first (C4 0B → 0x0BC4).
    [InlineData("01 03 00 00 00 02", 0x0BC4)]
    [InlineData("01 03 04 00 01 86 A0", 0xEBC9)]
    // FluentModbus CalculatesCrcCorrectly: A0 B1 C2 → 0x2384.
    [InlineData("A0 B1 C2", 0x2384)]
    // CRC-16/MODBUS catalogue check value for "123456789".
    [InlineData("31 32 33 34 35 36 37 38 39", 0x4B37)]
    [InlineData("", 0xFFFF)]
    public void Compute_KnownInput_ReturnsKnownCrc(string hex, int expected)
    {
        Assert.Equal((ushort)expected, Crc16Modbus.Compute(Hex.Parse(hex)));
    }

    [Fact]
    public void Append_WritesLowByteFirst()
    {
        var crc = new byte[2];
        Crc16Modbus.Append(Hex.Parse("01 03 00 00 00 02"), crc);
        Assert.Equal(new byte[] { 0xC4, 0x0B }, crc);
    }

    [Fact]
    public void Matches_FlippedCrcByte_IsFalse()
    {
        var frame = Hex.Parse("01 03 00 00 00 02 C4 0B");
        Assert.True(Crc16Modbus.Matches(frame));
        frame[^1] ^= 0x01;
        Assert.False(Crc16Modbus.Matches(frame));
    }
}
