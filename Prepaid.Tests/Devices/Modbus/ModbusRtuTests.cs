using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Modbus;

public class ModbusRtuTests
{
    [Fact]
    public void Encode_ReadTwoRegisters_MatchesGoldenFrame()
    {
        var pdu = ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2));
        Assert.Equal(Frames.Bytes(Frames.ModbusRtuReadRequest), ModbusRtu.Encode(1, pdu));
    }

    [Fact]
    public void Decode_GoldenReply_GivesRegisters()
    {
        var result = ModbusRtu.Decode(Frames.Bytes(Frames.ModbusRtuReadReply), ModbusDirection.Response);
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(9, result.Consumed);
        Assert.Equal(1, result.Frame!.Unit);
        Assert.Equal(new ushort[] { 1, 34464 }, ModbusPdu.DecodeResponse(result.Frame.Pdu).Frame!.Registers);
    }

    [Fact]
    public void Decode_GoldenRequest_InRequestDirection()
    {
        var result = ModbusRtu.Decode(Frames.Bytes(Frames.ModbusRtuReadRequest), ModbusDirection.Request);
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(Hex.Parse("03 00 00 00 02"), result.Frame!.Pdu);
    }

    [Fact]
    public void PredictFrameLength_RequestAndResponseForms()
    {
        Assert.Equal(0, ModbusRtu.PredictFrameLength(Hex.Parse("01"), ModbusDirection.Response));
        Assert.Equal(0, ModbusRtu.PredictFrameLength(Hex.Parse("01 03"), ModbusDirection.Response));
        Assert.Equal(9, ModbusRtu.PredictFrameLength(Hex.Parse("01 03 04"), ModbusDirection.Response));
        Assert.Equal(8, ModbusRtu.PredictFrameLength(Hex.Parse("01 03"), ModbusDirection.Request));
        Assert.Equal(5, ModbusRtu.PredictFrameLength(Hex.Parse("01 83"), ModbusDirection.Response));
        Assert.Equal(8, ModbusRtu.PredictFrameLength(Hex.Parse("01 10"), ModbusDirection.Response));
        Assert.Equal(0, ModbusRtu.PredictFrameLength(Hex.Parse("01 10 00 00 00"), ModbusDirection.Request));
        Assert.Equal(13, ModbusRtu.PredictFrameLength(Hex.Parse("01 10 00 00 00 02 04"), ModbusDirection.Request));
        Assert.Equal(-1, ModbusRtu.PredictFrameLength(Hex.Parse("01 41"), ModbusDirection.Response));
    }

    [Fact]
    public void Decode_FlippedCrc_IsInvalidAndSkipsOneByte()
    {
        var frame = Frames.Bytes(Frames.ModbusRtuReadReply);
        frame[^2] ^= 0xFF;
        var result = ModbusRtu.Decode(frame, ModbusDirection.Response);
        Assert.Equal(DecodeStatus.Invalid, result.Status);
        Assert.Equal(1, result.Consumed);
    }

    [Fact]
    public void Decode_Truncated_NeedsMore()
    {
        var frame = Frames.Bytes(Frames.ModbusRtuReadReply);
        Assert.Equal(DecodeStatus.NeedMore, ModbusRtu.Decode(frame.AsSpan(0, 8), ModbusDirection.Response).Status);
    }
}
