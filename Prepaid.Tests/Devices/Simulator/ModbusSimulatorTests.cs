using System.Diagnostics;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Simulator;

public class ModbusSimulatorTests
{
    private readonly SettableTimeProvider _time = SettableTimeProvider.At2026();

    private ModbusBus Bus(params byte[] units) =>
        new(units.Select(u => new SimulatedElectricMeter(u, $"0000000000{u:D2}", _time, LoadProfile.Constant(1200), 100_000)));

    [Fact]
    public async Task TcpGateway_ReadTripReadBack_EnergyStopsWhileOpen()
    {
        await using var gateway = new ModbusTcpGatewaySimulator(Bus(1, 2, 3)).Start();
        await using var client = ModbusClient.OverTcp("127.0.0.1", gateway.Port);
        var meter = new ModbusMeter(client, 2, ModbusMeterProfile.Generic);
        var ct = TestContext.Current.CancellationToken;

        var start = (await meter.ReadEnergiesAsync(ct)).Value!;
        Assert.Equal(100_000, start.TotalWh);
        Assert.Equal(new long[] { 0, 0, 0, 0 }, start.PeriodsWh);
        _time.Advance(TimeSpan.FromHours(1));
        var afterHour = (await meter.ReadEnergiesAsync(ct)).Value!;
        Assert.Equal(101_200, afterHour.TotalWh);
        Assert.Equal(1200, afterHour.PeriodsWh[2]);

        Assert.Equal(DeviceResultStatus.Ok, (await meter.SetRelayOpenAsync(true, ct)).Status);
        Assert.True((await meter.ReadRelayOpenAsync(ct)).Value);
        Assert.Equal(new[] { true }, (await client.ReadCoilsAsync(2, 0, 1, ct)).Value);

        _time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(101_200, (await meter.ReadEnergiesAsync(ct)).Value!.TotalWh);

        Assert.Equal(DeviceResultStatus.Ok, (await meter.SetRelayOpenAsync(false, ct)).Status);
        Assert.False((await meter.ReadRelayOpenAsync(ct)).Value);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(101_800, (await meter.ReadEnergiesAsync(ct)).Value!.TotalWh);

        // The other meters on the bus kept running.
        var neighbour = new ModbusMeter(client, 1, ModbusMeterProfile.Generic);
        Assert.Equal(105_400, (await neighbour.ReadEnergiesAsync(ct)).Value!.TotalWh);
    }

    [Fact]
    public async Task TcpGateway_AbsentUnit_Exception0B()
    {
        await using var gateway = new ModbusTcpGatewaySimulator(Bus(1)).Start();
        await using var client = ModbusClient.OverTcp("127.0.0.1", gateway.Port);

        var result = await client.ReadHoldingRegistersAsync(9, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Refused, result.Status);
        Assert.Equal((byte)ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, result.ErrorCode);
    }

    [Fact]
    public async Task TcpGateway_UnmappedRegister_Exception02()
    {
        await using var gateway = new ModbusTcpGatewaySimulator(Bus(1)).Start();
        await using var client = ModbusClient.OverTcp("127.0.0.1", gateway.Port);
        var ct = TestContext.Current.CancellationToken;

        var read = await client.ReadInputRegistersAsync(1, 0x0100, 1, ct);
        var write = await client.WriteSingleRegisterAsync(1, 0, 5, ct);

        Assert.Equal((byte)ModbusExceptionCode.IllegalDataAddress, read.ErrorCode);
        Assert.Equal((byte)ModbusExceptionCode.IllegalDataAddress, write.ErrorCode);
    }

    [Fact]
    public async Task RtuDtu_ReadAndTripOverRawRtu()
    {
        await using var dtu = new ModbusRtuDtuSimulator(Bus(1, 2)).Start();
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", dtu.Port);
        var meter = new ModbusMeter(client, 1, ModbusMeterProfile.Generic);
        var ct = TestContext.Current.CancellationToken;

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(102_400, (await meter.ReadEnergiesAsync(ct)).Value!.TotalWh);
        Assert.Equal(DeviceResultStatus.Ok, (await client.WriteMultipleCoilsAsync(1, 0, [true], ct)).Status);
        Assert.True((await meter.ReadRelayOpenAsync(ct)).Value);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(102_400, (await meter.ReadEnergiesAsync(ct)).Value!.TotalWh);
    }

    [Fact]
    public async Task RtuDtu_AbsentUnit_IsSilence_ClientTimesOutAndRecovers()
    {
        await using var dtu = new ModbusRtuDtuSimulator(Bus(1)).Start();
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", dtu.Port, TimeSpan.FromMilliseconds(500));
        var ct = TestContext.Current.CancellationToken;

        var absent = await client.ReadHoldingRegistersAsync(7, 0, 2, ct);
        var present = await client.ReadHoldingRegistersAsync(1, 0, 2, ct);

        Assert.Equal(DeviceResultStatus.Timeout, absent.Status);
        Assert.Equal(DeviceResultStatus.Ok, present.Status);
        Assert.Equal(1, client.Counters.Timeouts);
    }

    [Fact]
    public async Task RtuDtu_RequestWithBadCrc_GetsNoReply()
    {
        await using var dtu = new ModbusRtuDtuSimulator(Bus(1)).Start();
        await using var transport = new TcpFrameTransport("127.0.0.1", dtu.Port, ModbusRtuFormat.Instance);
        var request = Frames.Bytes(Frames.ModbusRtuReadRequest);
        request[^1] ^= 0x01;

        var reply = await transport.ExchangeAsync(request, TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

        Assert.Equal(TransportStatus.Timeout, reply.Status);
        Assert.Equal(0, dtu.RequestCount);
    }

    [Fact]
    public async Task RtuDtu_WireTiming_DelaysReply()
    {
        var timing = new WireTiming(BaudRate: 9600, TurnaroundMs: 20);
        await using var dtu = new ModbusRtuDtuSimulator(Bus(1)) { Timing = timing }.Start();
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", dtu.Port);
        var ct = TestContext.Current.CancellationToken;
        await client.ReadHoldingRegistersAsync(1, 0, 2, ct); // connect outside the measurement

        var watch = Stopwatch.StartNew();
        await client.ReadHoldingRegistersAsync(1, 0, 2, ct);

        // 8-byte request + 9-byte reply at 9600 8N1 ≈ 17.7 ms, plus 20 ms turnaround (notes §7.1).
        Assert.Equal(TimeSpan.FromTicks(17 * 10 * TimeSpan.TicksPerSecond / 9600) + TimeSpan.FromMilliseconds(20),
            timing.DelayFor(8, 9));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(37), watch.Elapsed.ToString());
    }

    [Fact]
    public void TcpGateway_WireTiming_ChargesTheRtuFramesOnItsBus()
    {
        var gateway = new ModbusTcpGatewaySimulator(Bus(1));
        var request = ModbusTcp.Encode(1, 1, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 11)));
        var reply = ModbusTcp.Encode(1, 1, ModbusPdu.EncodeResponse(ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, new ushort[11])));

        // The same read as RTU on the line: 8-byte request, 1 + 1 + 1 + 22 + 2 = 27-byte reply.
        Assert.Equal(ModbusRtu.Encode(1, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 11))).Length, gateway.BusBytes(request.Length));
        Assert.Equal(8, gateway.BusBytes(request.Length));
        Assert.Equal(27, gateway.BusBytes(reply.Length));
        Assert.Equal(39, new ModbusRtuDtuSimulator(Bus(1)).BusBytes(39));
    }
}
