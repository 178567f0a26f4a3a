using Prepaid.Devices.Codec;
using Xunit;

namespace Prepaid.Tests.Devices.Codec;

public class BcdTests
{
    [Theory]
    [InlineData(0, 0x00)]
    [InlineData(9, 0x09)]
    [InlineData(10, 0x10)]
    [InlineData(59, 0x59)]
    [InlineData(99, 0x99)]
    public void FromInt_TwoDigits_PacksNibbles(int value, int expected)
    {
        Assert.Equal((byte)expected, Bcd.FromInt(value));
        Assert.True(Bcd.TryToInt((byte)expected, out var back));
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData(0x0A)]
    [InlineData(0xA0)]
    [InlineData(0xFF)]
    public void TryToInt_NonDecimalNibble_IsFalse(int value)
    {
        Assert.False(Bcd.TryToInt((byte)value, out _));
    }

    [Fact]
    public void WriteLittleEndian_123456_LowPairFirst()
    {
        var bytes = new byte[4];
        Bcd.WriteLittleEndian(123456, bytes);
        Assert.Equal(new byte[] { 0x56, 0x34, 0x12, 0x00 }, bytes);
        Assert.True(Bcd.TryReadLittleEndian(bytes, out var value));
        Assert.Equal(123456UL, value);
    }

    [Fact]
    public void WriteLittleEndian_TooLarge_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bcd.WriteLittleEndian(100_000_000, new byte[4]));
    }

    [Fact]
    public void TryReadLittleEndian_BadNibble_IsFalse()
    {
        Assert.False(Bcd.TryReadLittleEndian(new byte[] { 0x12, 0x3A }, out _));
    }

    [Fact]
    public void MeterAddress_PrintedDigits_AreReversedOnTheWire()
    {
        // notes §2.2: "000000000161" → 61 01 00 00 00 00.
        var wire = new byte[6];
        MeterAddress.Write("000000000161", wire);
        Assert.Equal(Hex.Parse("61 01 00 00 00 00"), wire);
        Assert.Equal("000000000161", MeterAddress.Read(wire));
        Assert.Equal("AAAAAAAAAAAA", MeterAddress.Read(Hex.Parse("AA AA AA AA AA AA")));
    }
}
