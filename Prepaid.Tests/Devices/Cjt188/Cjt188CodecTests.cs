using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Cjt188;

public class Cjt188CodecTests
{
    private const string Meter = "00000000000012";

    // The notes' §3.4 frames send 901F high byte first.
    private static readonly Cjt188Options HighFirst = Cjt188Options.Default with { ReadDiOrder = Cjt188DiOrder.HighByteFirst };

    [Fact]
    public void Encode_Read901F_MatchesGoldenFrame()
    {
        var frame = Cjt188Read.Request(Cjt188MeterTypes.ColdWater, Meter, 0, HighFirst);
        Assert.Equal(Frames.Bytes(Frames.Cjt188ReadRequest), Cjt188Codec.Encode(frame));
    }

    [Fact]
    public void Encode_ReadAddressWildcard_MatchesGoldenFrame()
    {
        Assert.Equal(Frames.Bytes(Frames.Cjt188ReadAddressRequest),
            Cjt188Codec.Encode(Cjt188Read.AddressRequest(0, Cjt188Options.Default)));
    }

    [Fact]
    public void Decode_GoldenReply_GivesFlowAndStatus()
    {
        var result = Cjt188Codec.Decode(Frames.Bytes(Frames.Cjt188ReadReply));
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(Meter, result.Frame!.Address);
        var reply = Cjt188Read.ParseReply(result.Frame, HighFirst);
        Assert.Equal(Cjt188ReplyStatus.Ok, reply.Status);
        var reading = reply.Value!;
        Assert.Equal(100010, reading.CurrentFlowScaled);        // 10 00 10 00 → 00100010 → 1000.10 m³
        Assert.Equal(Cjt188Units.CubicMetre, reading.CurrentUnit);
        Assert.Equal(1_000_100_000, reading.CurrentFlowMillilitres);
        Assert.Null(reading.MeterTime);                          // all-zero clock is not a date
        Assert.Equal(Cjt188ValveState.Open, reading.Status.Valve);
        Assert.False(reading.Status.BatteryLow);
        Assert.Equal(0xFF, reading.Status.St1);
    }

    [Fact]
    public void Reply_RoundTrips_ThroughParse()
    {
        var options = Cjt188Options.Default;
        var st0 = Cjt188Status.EncodeSt0(Cjt188ValveState.Closed, batteryLow: true, options);
        var frame = Cjt188Read.Reply(Cjt188MeterTypes.ColdWater, Meter, 7, 12345, 12000,
            new DateTime(2026, 11, 23, 10, 30, 0), st0, 0, options);
        var decoded = Cjt188Codec.Decode(Cjt188Codec.Encode(frame, 2)).Frame!;
        var reading = Cjt188Read.ParseReply(decoded, options).Value!;
        Assert.Equal(12345, reading.CurrentFlowScaled);
        Assert.Equal(12000, reading.SettlementFlowScaled);
        Assert.Equal(new DateTime(2026, 11, 23, 10, 30, 0), reading.MeterTime);
        Assert.Equal(Cjt188ValveState.Closed, reading.Status.Valve);
        Assert.True(reading.Status.BatteryLow);
        Assert.Equal(7, reading.Serial);
    }

    [Fact]
    public void Valve_LowByteFirstOption_MatchesNotesLayout()
    {
        // notes §3.5 layout: 68 10 A0..A6 04 04 17 A0 SER VV CS 16 — DI low byte first.
        var options = Cjt188Options.Default with { ValveDiOrder = Cjt188DiOrder.LowByteFirst };
        var frame = Cjt188Codec.Encode(Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, Meter, 1, Cjt188ValveCommand.Close, options));
        var expected = Hex.Parse("68 10 12 00 00 00 00 00 00 04 04 17 A0 01 99");
        Assert.Equal(expected, frame[..^2]);
        Assert.Equal(Checksum.Sum8(expected), frame[^2]);
        Assert.Equal(0x16, frame[^1]);
    }

    [Fact]
    public void Valve_DefaultOption_SendsHighByteFirst()
    {
        var frame = Cjt188Valve.Request(Cjt188MeterTypes.ColdWater, Meter, 1, Cjt188ValveCommand.Open, Cjt188Options.Default);
        Assert.Equal(Hex.Parse("A0 17 01 55"), frame.Data);
        Assert.Equal(Cjt188ValveCommand.Open, Cjt188Valve.TryParseRequest(frame, Cjt188Options.Default));
        // The same bytes read with the other vendor order are not a valve command.
        Assert.Null(Cjt188Valve.TryParseRequest(frame, Cjt188Options.Default with { ValveDiOrder = Cjt188DiOrder.LowByteFirst }));
    }

    [Theory]
    [InlineData(0x00, Cjt188ValveState.Open, false)]
    [InlineData(0x01, Cjt188ValveState.Closed, false)]
    [InlineData(0x03, Cjt188ValveState.Fault, false)]
    [InlineData(0x05, Cjt188ValveState.Closed, true)]
    public void Status_KingDaLayout(int st0, Cjt188ValveState valve, bool batteryLow)
    {
        var status = Cjt188Status.Decode((byte)st0, 0, Cjt188Options.Default);
        Assert.Equal(valve, status.Valve);
        Assert.Equal(batteryLow, status.BatteryLow);
    }

    [Theory]
    [InlineData(0x40, Cjt188ValveState.Closed, false)]
    [InlineData(0xC0, Cjt188ValveState.Fault, false)]
    [InlineData(0x60, Cjt188ValveState.Closed, true)]
    public void Status_HighBitLayout(int st0, Cjt188ValveState valve, bool batteryLow)
    {
        var status = Cjt188Status.Decode((byte)st0, 0, Cjt188Options.HighBitStatus);
        Assert.Equal(valve, status.Valve);
        Assert.Equal(batteryLow, status.BatteryLow);
    }

    [Fact]
    public void ValveReply_And_ErrorReply_Parse()
    {
        var options = Cjt188Options.Default;
        var ok = Cjt188Valve.Reply(Cjt188MeterTypes.ColdWater, Meter, 1, 0x01, 0, options);
        var parsed = Cjt188Valve.ParseReply(Cjt188Codec.Decode(Cjt188Codec.Encode(ok)).Frame!, options);
        Assert.Equal(Cjt188ReplyStatus.Ok, parsed.Status);
        Assert.Equal(Cjt188ValveState.Closed, parsed.Value.Valve);

        var error = Cjt188Valve.ErrorReply(Cjt188MeterTypes.ColdWater, Meter, Cjt188Functions.WriteData, 1, 0x03, 0);
        var refused = Cjt188Valve.ParseReply(Cjt188Codec.Decode(Cjt188Codec.Encode(error)).Frame!, options);
        Assert.Equal(Cjt188ReplyStatus.Refused, refused.Status);
        Assert.Equal(Cjt188ValveState.Fault, refused.MeterStatus!.Value.Valve);
    }

    [Fact]
    public void Decode_FlippedChecksum_IsInvalid()
    {
        var bytes = Frames.Bytes(Frames.Cjt188ReadReply);
        bytes[^2] ^= 0x80;
        Assert.Equal(DecodeStatus.Invalid, Cjt188Codec.Decode(bytes).Status);
    }
}
