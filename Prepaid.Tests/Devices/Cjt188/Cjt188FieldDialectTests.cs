using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Cjt188;

/// <summary>Issue 11, fix 2: the DI byte order the field uses, as defaults and per command, with the SC meter's published
/// exchange as golden frames.</summary>
public class Cjt188FieldDialectTests
{
    const string ScReadMeter = "78330011223344";
    const string ScValveMeter = "78331505900569";

    static byte[] Unframed(string hex) => Frames.Bytes(hex)[4..];   // without the FE FE FE FE wake-up

    [Fact]
    public void ReadRequest_WithDefaultOptions_SendsDi901FLowByteFirst_AsTheScMeterExpects()
    {
        var request = Cjt188Read.Request(Cjt188MeterTypes.ColdWater, ScReadMeter, 0, Cjt188Options.Default);
        Assert.Equal(Frames.Bytes(Frames.ScReadRequest), Cjt188Codec.Encode(request, preambleLength: 4));
    }

    [Fact]
    public void ScMetersTwentyTwoByteReply_IsAcceptedWithDefaultOptions()
    {
        var decoded = Cjt188Codec.Decode(Frames.Bytes(Frames.ScReadReply));
        Assert.Equal(DecodeStatus.Ok, decoded.Status);
        Assert.Equal(ScReadMeter, decoded.Frame!.Address);

        var reply = Cjt188Read.ParseReply(decoded.Frame, Cjt188Options.Default);

        Assert.Equal(Cjt188ReplyStatus.Ok, reply.Status);
        Assert.Equal(55_667_700, reply.Value!.CurrentFlowScaled);                  // 556677.00 m³
        Assert.Equal(556_677_000_000, reply.Value.CurrentFlowMillilitres);
        Assert.Equal(55_667_700, reply.Value.SettlementFlowScaled);
        Assert.Equal(new DateTime(2015, 5, 11, 22, 1, 31), reply.Value.MeterTime);
        Assert.Equal(0x21, reply.Value.Status.St0);
        Assert.Equal(0x84, reply.Value.Status.St1);
        Assert.Equal(Cjt188ValveState.Closed, reply.Value.Status.Valve);            // ST0 bits 0–1 = 01
    }

    [Fact]
    public void ScReplyWithThePublishedChecksum_IsRefusedByTheCodec()
    {
        Assert.Equal(DecodeStatus.Invalid, Cjt188Codec.Decode(Frames.Bytes(Frames.ScReadReplyAsPublished)[4..]).Status);
    }

    [Fact]
    public void ValveRequests_WithDefaultOptions_MatchTheScMeterExchange_AndItsReplyParses()
    {
        var open = Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, ScValveMeter, 1, Cjt188ValveCommand.Open, Cjt188Options.Default);
        var close = Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, ScValveMeter, 1, Cjt188ValveCommand.Close, Cjt188Options.Default);
        Assert.Equal(Frames.Bytes(Frames.ScValveOpenRequest), Cjt188Codec.Encode(open, preambleLength: 4));
        Assert.Equal(Frames.Bytes(Frames.ScValveCloseRequest), Cjt188Codec.Encode(close, preambleLength: 4));

        var reply = Cjt188Valve.ParseReply(Cjt188Codec.Decode(Frames.Bytes(Frames.ScValveOpenReply)).Frame!, Cjt188Options.Default);
        Assert.Equal(Cjt188ReplyStatus.Ok, reply.Status);
        Assert.Equal(Cjt188ValveState.Open, reply.Value.Valve);
    }

    [Fact]
    public async Task Client_WithDefaultOptions_ReadsAMeterThatOnlyAnswersLowByteFirst()
    {
        // The meter stays silent to "90 1F", as a real one does, and answers "1F 90" with the SC reply, its SER echoed.
        var published = Cjt188Codec.Decode(Frames.Bytes(Frames.ScReadReply)).Frame!;
        await using var peer = new ScriptedPeer(bytes => Cjt188Codec.Decode(bytes) is { Status: DecodeStatus.Ok } r ? r.Consumed : 0,
            (_, request) =>
            {
                var asked = Cjt188Codec.Decode(request).Frame!;
                if (asked.Data[0] != 0x1F || asked.Data[1] != 0x90) return PeerAction.Silence();
                byte[] data = [.. published.Data];
                data[2] = asked.Data[2];
                return PeerAction.Send(Cjt188Codec.Encode(published with { Data = data }, preambleLength: 4));
            });
        await using var client = Cjt188Client.OverTcp("127.0.0.1", peer.Port, timeout: TimeSpan.FromSeconds(1));

        var result = await client.ReadAsync(Cjt188MeterTypes.ColdWater, ScReadMeter, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Ok, result.Status);
        Assert.Equal(556_677_000_000, result.Value!.CurrentFlowMillilitres);
    }
}

/// <summary>One golden frame per dialect variant: read DI high byte first, valve DI low byte first, valve control by 0x2A
/// (issue 11, fix 3).</summary>
public class Cjt188DialectVariantTests
{
    const string Meter = "00000000000012";

    [Fact]
    public void ReadHighByteFirst_MatchesTheNotesFrames()
    {
        var options = Cjt188Options.Default with { ReadDiOrder = Cjt188DiOrder.HighByteFirst };
        Assert.Equal(Frames.Bytes(Frames.Cjt188ReadRequest), Cjt188Codec.Encode(Cjt188Read.Request(Cjt188MeterTypes.ColdWater, Meter, 0, options)));
        var reply = Cjt188Codec.Decode(Frames.Bytes(Frames.Cjt188ReadReply)).Frame!;
        Assert.Equal(Cjt188ReplyStatus.Ok, Cjt188Read.ParseReply(reply, options).Status);
        // The same 90 1F reply read with the field default order is not a 901F reply.
        Assert.Equal(Cjt188ReplyStatus.Unexpected, Cjt188Read.ParseReply(reply, Cjt188Options.Default).Status);
    }

    [Fact]
    public void ValveLowByteFirst_SendsA017As17A0()
    {
        var options = Cjt188Options.Default with { ValveDiOrder = Cjt188DiOrder.LowByteFirst };
        var frame = Cjt188Codec.Encode(Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, Meter, 1, Cjt188ValveCommand.Open, options));
        Assert.Equal(Hex.Parse("68 10 12 00 00 00 00 00 00 04 04 17 A0 01 55 9F 16"), frame);
    }

    [Fact]
    public void OneMeterMixingOrders_ReadLowFirst_ValveHighFirst_IsTheDefault()
    {
        var read = Cjt188Read.Request(Cjt188MeterTypes.ColdWater, Meter, 3, Cjt188Options.Default);
        var valve = Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, Meter, 3, Cjt188ValveCommand.Close, Cjt188Options.Default);
        Assert.Equal(Hex.Parse("1F 90 03"), read.Data);
        Assert.Equal(Hex.Parse("A0 17 03 99"), valve.Data);
    }

    static readonly Cjt188Options With2A = Cjt188Options.Default with { ValveControlCode = 0x2A };

    [Fact]
    public void ValveControlBy2A_RequestMatchesTheGoldenFrame_AndItsReplyParses()
    {
        var request = Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, "00000000000707", 0, Cjt188ValveCommand.Open, With2A);
        Assert.Equal(Frames.Bytes(Frames.ValveOpen2ARequest), Cjt188Codec.Encode(request));

        var reply = Cjt188Codec.Decode(Frames.Bytes(Frames.ValveOpen2AReply)).Frame!;
        Assert.True(Cjt188Format.Instance.IsReplyTo(Frames.Bytes(Frames.ValveOpen2ARequest), Frames.Bytes(Frames.ValveOpen2AReply)));
        var parsed = Cjt188Valve.ParseReply(reply, With2A);
        Assert.Equal(Cjt188ReplyStatus.Ok, parsed.Status);
        Assert.Equal(0x01, parsed.Value.St0);
        Assert.Equal(0xFF, parsed.Value.St1);
    }

    [Fact]
    public void ValveReplyBy2A_IsNotTakenForA04Reply_NorTheReverse()
    {
        var reply2A = Cjt188Codec.Decode(Frames.Bytes(Frames.ValveOpen2AReply)).Frame!;
        Assert.Equal(Cjt188ReplyStatus.Unexpected, Cjt188Valve.ParseReply(reply2A, Cjt188Options.Default).Status);
        var reply04 = Cjt188Codec.Decode(Frames.Bytes(Frames.ScValveOpenReply)).Frame!;
        Assert.Equal(Cjt188ReplyStatus.Unexpected, Cjt188Valve.ParseReply(reply04, With2A).Status);
        Assert.False(Cjt188Format.Instance.IsReplyTo(Frames.Bytes(Frames.ValveOpen2ARequest), Frames.Bytes(Frames.ScValveOpenReply)));
    }
}
