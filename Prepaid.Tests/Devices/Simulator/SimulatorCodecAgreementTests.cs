using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Simulator;

/// <summary>
/// The simulators build their frames with their own code, so the codec and a simulator can disagree; these tests hold
/// both to the same published frames: the codec's request is the published request, the simulator answers the published
/// request with the published reply, and the codec reads that reply as the document says.
/// </summary>
public class SimulatorCodecAgreementTests
{
    static byte[] WithoutPreamble(byte[] frame) => [.. frame.SkipWhile(b => b == 0xFE)];

    [Fact]
    public async Task Dlt645_CodecAndSimulator_AgreeOnThePublishedFrames()
    {
        // notes §2.7: meter 000000000161, forward active energy 0.26 kWh, then the 600888 simulator's 1234.56 kWh.
        var time = new SettableTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var meter = new SimulatedElectricMeter(1, "000000000161", time, LoadProfile.Constant(0), initialTotalWh: 260);
        await using var gateway = new Dlt645GatewaySimulator([meter]);
        gateway.Start();

        var request = Dlt645Codec.Encode(Dlt645Read.Request("000000000161", Dlt645DataIds.ForwardActiveTotal), preambleLength: 4);
        Assert.Equal(Frames.Bytes(Frames.Dlt645ReadEnergyRequest), request);
        var reply = (await RawTcp.SendAsync(gateway.Port, Frames.Bytes(Frames.Dlt645ReadEnergyRequest), TimeSpan.FromSeconds(5), halfClose: true)).Bytes;
        Assert.Equal(Frames.Bytes(Frames.Dlt645ReadEnergyReply), WithoutPreamble(reply));
        var read = Dlt645Read.ParseReply(Dlt645Codec.Decode(reply).Frame!, Dlt645DataIds.ForwardActiveTotal);
        Assert.True(Dlt645Values.TryReadEnergyWh(read.Value!.Value, out var wh));
        Assert.Equal(260, wh);

        var big = new SimulatedElectricMeter(1, "000000000161", time, LoadProfile.Constant(0), initialTotalWh: 1_234_560);
        await using var other = new Dlt645GatewaySimulator([big]);
        other.Start();
        reply = (await RawTcp.SendAsync(other.Port, Frames.Bytes(Frames.Dlt645ReadEnergyRequest), TimeSpan.FromSeconds(5), halfClose: true)).Bytes;
        Assert.Equal(Frames.Bytes(Frames.Dlt645Energy123456Reply), WithoutPreamble(reply));

        // notes §2.4's trip (valid until 2025-12-31 23:59:59), as the codec encodes it and as the meter takes it.
        var trip = Dlt645Codec.Encode(Dlt645Relay.Request("000000000161", Dlt645RelayAction.Trip, new DateTime(2025, 12, 31, 23, 59, 59),
            Dlt645Credentials.Default), preambleLength: 0);
        Assert.Equal(Frames.Bytes(Frames.Dlt645TripRequest), trip);
        reply = (await RawTcp.SendAsync(gateway.Port, Frames.Bytes(Frames.Dlt645TripRequest), TimeSpan.FromSeconds(5), halfClose: true)).Bytes;
        Assert.Equal(Hex.Parse("68 61 01 00 00 00 00 68 9C 00 CE 16"), WithoutPreamble(reply));
        Assert.Equal(Dlt645ReplyStatus.Ok, Dlt645Relay.ParseReply(Dlt645Codec.Decode(reply).Frame!).Status);
        Assert.True(meter.RelayOpen);
    }

    [Fact]
    public async Task Cjt188_CodecAndSimulator_AgreeOnTheScMetersExchange()
    {
        // The SC meter's clock reads 2015-05-11 22:01:31 (UTC+8) in the article; its valve is shut (ST 21 84).
        var time = new SettableTimeProvider(new DateTimeOffset(2015, 5, 11, 14, 1, 31, TimeSpan.Zero));
        var reader = new SimulatedWaterMeter("78330011223344", time, litresPerHour: 0, initialMillilitres: 556_677_000_000)
        {
            St1 = 0x84, St0Vendor = 0x20,
        };
        reader.SetValve(closed: true);
        var valve = new SimulatedWaterMeter("78331505900569", time, litresPerHour: 0);
        valve.SetValve(closed: true);
        await using var gateway = new Cjt188GatewaySimulator([reader, valve], Cjt188MeterDialect.Sc);
        gateway.Start();

        Assert.Equal(Frames.Bytes(Frames.ScReadRequest),
            Cjt188Codec.Encode(Cjt188Read.Request(0x10, "78330011223344", 0, Cjt188Options.Default), preambleLength: 4));
        var reply = (await RawTcp.SendAsync(gateway.Port, Frames.Bytes(Frames.ScReadRequest), TimeSpan.FromSeconds(5), halfClose: true)).Bytes;
        Assert.Equal(WithoutPreamble(Frames.Bytes(Frames.ScReadReply)), WithoutPreamble(reply));
        var reading = Cjt188Read.ParseReply(Cjt188Codec.Decode(reply).Frame!, Cjt188Options.Default).Value!;
        Assert.Equal(556_677_000_000, reading.CurrentFlowMillilitres);
        Assert.Equal(new DateTime(2015, 5, 11, 22, 1, 31), reading.MeterTime);

        Assert.Equal(Frames.Bytes(Frames.ScValveOpenRequest),
            Cjt188Codec.Encode(Cjt188Valve.Request(0x10, "78331505900569", 1, Cjt188ValveCommand.Open, Cjt188Options.Default), preambleLength: 4));
        reply = (await RawTcp.SendAsync(gateway.Port, Frames.Bytes(Frames.ScValveOpenRequest), TimeSpan.FromSeconds(5), halfClose: true)).Bytes;
        Assert.Equal(WithoutPreamble(Frames.Bytes(Frames.ScValveOpenReply)), WithoutPreamble(reply));
        Assert.False(valve.ValveClosed);
        Assert.Equal(Cjt188ValveState.Open, Cjt188Valve.ParseReply(Cjt188Codec.Decode(reply).Frame!, Cjt188Options.Default).Value.Valve);
    }
}
