using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Xunit;

namespace Prepaid.Tests.Devices.Modbus;

public class ModbusTcpTests
{
    [Fact]
    public void Encode_ReadTwoRegisters_MbapLayout()
    {
        // notes §1.2 MBAP layout; TID 100 as in the pipelining probe of §6.4.
        var frame = ModbusTcp.Encode(100, 1, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2)));
        Assert.Equal(Hex.Parse("00 64 00 00 00 06 01 03 00 00 00 02"), frame);
    }

    [Fact]
    public void Decode_Reply_GivesTidUnitAndPdu()
    {
        var result = ModbusTcp.Decode(Hex.Parse("00 65 00 00 00 07 01 03 04 00 01 86 A0 FF"));
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(13, result.Consumed);
        Assert.Equal((ushort)101, result.Frame!.TransactionId);
        Assert.Equal(Hex.Parse("03 04 00 01 86 A0"), result.Frame.Pdu);
    }

    [Theory]
    [InlineData("00 01 00 00 00 06 01 03", DecodeStatus.NeedMore)]
    [InlineData("00 01 00 01 00 06 01 03 00 00 00 02", DecodeStatus.Invalid)]
    [InlineData("00 01 00 00 00 01 01", DecodeStatus.Invalid)]
    [InlineData("00 01 00 00 00 FF 01 03", DecodeStatus.Invalid)]
    public void Decode_BadHeader(string hex, DecodeStatus expected)
    {
        Assert.Equal(expected, ModbusTcp.Decode(Hex.Parse(hex)).Status);
    }
}
