using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Dlt645;

public class Dlt645CodecTests
{
    private const string Meter = "000000000161";

    [Fact]
    public void Encode_ReadForwardEnergy_MatchesGoldenFrame()
    {
        var frame = Dlt645Codec.Encode(Dlt645Read.Request(Meter, Dlt645DataIds.ForwardActiveTotal));
        Assert.Equal(Frames.Bytes(Frames.Dlt645ReadEnergyRequest), frame);
    }

    [Fact]
    public void Encode_ReadVoltage_MatchesGoldenFrame()
    {
        var frame = Dlt645Codec.Encode(Dlt645Read.Request(Meter, Dlt645DataIds.PhaseAVoltage));
        Assert.Equal(Frames.Bytes(Frames.Dlt645ReadVoltageRequest), frame);
    }

    [Fact]
    public void Decode_GoldenEnergyReply_Gives260Wh()
    {
        var result = Dlt645Codec.Decode(Frames.Bytes(Frames.Dlt645ReadEnergyReply));
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(Meter, result.Frame!.Address);
        var reply = Dlt645Read.ParseReply(result.Frame, Dlt645DataIds.ForwardActiveTotal);
        Assert.Equal(Dlt645ReplyStatus.Ok, reply.Status);
        Assert.True(Dlt645Values.TryReadEnergyWh(reply.Value!.Value, out var energyWh));
        Assert.Equal(260, energyWh); // 000000.26 kWh
    }

    [Fact]
    public void Decode_VoltageReply_Gives1001Decivolts()
    {
        var result = Dlt645Codec.Decode(Frames.Bytes(Frames.Dlt645ReadVoltageReply));
        var reply = Dlt645Read.ParseReply(result.Frame!, Dlt645DataIds.PhaseAVoltage);
        Assert.Equal(Hex.Parse("01 10"), reply.Value!.Value); // XXX.X V = 100.1 V
    }

    [Fact]
    public void Reply_1234Point56Kwh_Matches600888Simulator()
    {
        var frame = Dlt645Read.Reply(Meter, Dlt645DataIds.ForwardActiveTotal, Dlt645Values.EnergyWh(1_234_560));
        Assert.Equal(Frames.Bytes(Frames.Dlt645Energy123456Reply), Dlt645Codec.Encode(frame, preambleLength: 0));
    }

    [Fact]
    public void Decode_PreambleAndGarbageBefore_SkipsToFrame()
    {
        var bytes = Hex.Parse("00 12 " + Frames.Dlt645ReadEnergyRequest);
        var first = Dlt645Codec.Decode(bytes);
        Assert.Equal(DecodeStatus.Invalid, first.Status);
        var second = Dlt645Codec.Decode(bytes.AsSpan(first.Consumed));
        Assert.Equal(DecodeStatus.Invalid, second.Status);
        var third = Dlt645Codec.Decode(bytes.AsSpan(first.Consumed + second.Consumed));
        Assert.Equal(DecodeStatus.Ok, third.Status);
        Assert.Equal(bytes.Length, first.Consumed + second.Consumed + third.Consumed);
        Assert.Equal(Dlt645Functions.ReadData, third.Frame!.Control);
    }

    [Fact]
    public void Decode_WrongChecksum_IsInvalid()
    {
        var bytes = Frames.Bytes(Frames.Dlt645ReadEnergyReply);
        bytes[^2] ^= 0x01;
        Assert.Equal(DecodeStatus.Invalid, Dlt645Codec.Decode(bytes).Status);
    }

    [Fact]
    public void Decode_Truncated_NeedsMore()
    {
        var bytes = Frames.Bytes(Frames.Dlt645ReadEnergyReply);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(DecodeStatus.NeedMore, Dlt645Codec.Decode(bytes.AsSpan(0, length)).Status);
        }
    }

    [Fact]
    public void ParseReply_ErrorReply_GivesFlags()
    {
        var frame = Dlt645Read.ErrorReply(Meter, Dlt645ErrorFlags.NoRequestedData);
        var decoded = Dlt645Codec.Decode(Dlt645Codec.Encode(frame)).Frame!;
        Assert.Equal(0xD1, decoded.Control);
        var reply = Dlt645Read.ParseReply(decoded, Dlt645DataIds.ForwardActiveTotal);
        Assert.Equal(Dlt645ReplyStatus.Refused, reply.Status);
        Assert.Equal(Dlt645ErrorFlags.NoRequestedData, reply.Error);
    }

    [Fact]
    public void ParseReply_OtherDataId_IsUnexpected()
    {
        var decoded = Dlt645Codec.Decode(Frames.Bytes(Frames.Dlt645ReadEnergyReply)).Frame!;
        Assert.Equal(Dlt645ReplyStatus.Unexpected, Dlt645Read.ParseReply(decoded, Dlt645DataIds.StatusWord3).Status);
    }

    [Fact]
    public void DataIds_PeriodEnergies_CarryTariffInDi1()
    {
        Assert.Equal(0x00010100u, Dlt645DataIds.ForwardActivePeriod(1));
        Assert.Equal(0x00010400u, Dlt645DataIds.ForwardActivePeriod(4));
        var frame = Dlt645Codec.Encode(Dlt645Read.Request(Meter, Dlt645DataIds.ForwardActivePeriod(4)), 0);
        Assert.Equal(Hex.Parse("33 37 34 33"), frame.AsSpan(10, 4).ToArray()); // 00 04 01 00 + 0x33
    }

    [Fact]
    public void EnergyBlock_DecodesTotalAndFourPeriods()
    {
        var value = Dlt645Values.EnergyWh(1000).Concat(Dlt645Values.EnergyWh(100)).Concat(Dlt645Values.EnergyWh(200))
            .Concat(Dlt645Values.EnergyWh(300)).Concat(Dlt645Values.EnergyWh(400)).ToArray();
        Assert.True(Dlt645Values.TryReadEnergyBlockWh(value, out var energies));
        Assert.Equal(new long[] { 1000, 100, 200, 300, 400 }, energies);
    }
}
