using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Transport;

/// <summary>DL/T 645 and CJ/T 188 clients over scripted byte streams: the golden frames arriving
/// after echoes, preambles and stale answers.</summary>
public class MeterBusTransportTests
{
    private static int Dlt645Length(byte[] bytes)
    {
        var result = Dlt645Codec.Decode(bytes);
        return result.IsOk ? result.Consumed : 0;
    }

    private static int Cjt188Length(byte[] bytes)
    {
        var result = Cjt188Codec.Decode(bytes);
        return result.IsOk ? result.Consumed : 0;
    }

    [Fact]
    public async Task Dlt645_EchoThenGoldenReply_EchoIsDiscarded()
    {
        // A half-duplex RS-485 converter echoes our own request before the meter answers.
        await using var peer = new ScriptedPeer(Dlt645Length, (_, request) =>
            PeerAction.Send(request, Hex.Parse("FE FE"), Frames.Bytes(Frames.Dlt645ReadEnergyReply)));
        await using var client = Dlt645Client.OverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadEnergyWhAsync("000000000161", Dlt645DataIds.ForwardActiveTotal,
            TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Ok, result.Status);
        Assert.Equal(260, result.Value);
        Assert.Equal(1, client.Counters.UnmatchedFrames);
    }

    [Fact]
    public async Task Dlt645_ReplyFromAnotherMeter_IsNotTaken()
    {
        var otherMeter = Dlt645Codec.Encode(Dlt645Read.Reply("000000000999", Dlt645DataIds.ForwardActiveTotal,
            Dlt645Values.EnergyWh(99_990)), 0);
        await using var peer = new ScriptedPeer(Dlt645Length, (_, _) =>
            PeerAction.Send(otherMeter, Frames.Bytes(Frames.Dlt645ReadEnergyReply)));
        await using var client = Dlt645Client.OverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadEnergyWhAsync("000000000161", Dlt645DataIds.ForwardActiveTotal,
            TestContext.Current.CancellationToken);

        Assert.Equal(260, result.Value);
        Assert.Equal(1, client.Counters.UnmatchedFrames);
    }

    [Fact]
    public async Task Cjt188_StaleSerial_IsDiscarded()
    {
        var options = Cjt188Options.Default;
        await using var peer = new ScriptedPeer(Cjt188Length, (_, request) =>
        {
            var serial = Cjt188Codec.Decode(request).Frame!.Data[2];
            Cjt188Frame Reply(byte ser, long flow) => Cjt188Read.Reply(Cjt188MeterTypes.ColdWater, "00000000000012", ser,
                flow, 0, new DateTime(2026, 1, 1), 0, 0, options);
            return PeerAction.Send(Cjt188Codec.Encode(Reply((byte)(serial - 1), 1)), Cjt188Codec.Encode(Reply(serial, 2)));
        });
        await using var client = Cjt188Client.OverTcp("127.0.0.1", peer.Port, options);

        var result = await client.ReadAsync(Cjt188MeterTypes.ColdWater, "00000000000012", TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Value!.CurrentFlowScaled);
        Assert.Equal(1, client.Counters.UnmatchedFrames);
    }
}
