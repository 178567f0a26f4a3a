using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Simulator;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Simulator;

public class Cjt188SimulatorTests
{
    private const string Meter = "00000000000012";
    private readonly SettableTimeProvider _time = SettableTimeProvider.At2026();

    private SimulatedWaterMeter WaterMeter() => new(Meter, _time, litresPerHour: 60, initialMillilitres: 1_000_100_000);

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Read_CloseValve_FlowStops_OpenResumes(string dialect)
    {
        var (options, meterDialect) = Dialect(dialect);
        var meter = WaterMeter();
        await using var gateway = new Cjt188GatewaySimulator([meter], meterDialect).Start();
        await using var client = Cjt188Client.OverTcp("127.0.0.1", gateway.Port, options);
        var ct = TestContext.Current.CancellationToken;

        var first = await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, ct);
        Assert.Equal(DeviceResultStatus.Ok, first.Status);
        Assert.Equal(100_010, first.Value!.CurrentFlowScaled); // 1000.10 m³
        Assert.Equal(new DateTime(2026, 11, 23, 8, 0, 0), first.Value.MeterTime);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1_000_160_000, (await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, ct)).Value!.CurrentFlowMillilitres);

        var closed = await client.SetValveAsync(Cjt188MeterTypes.ColdWater, Meter, Cjt188ValveCommand.Close, ct);
        Assert.Equal(Cjt188ValveState.Closed, closed.Value.Valve);
        _time.Advance(TimeSpan.FromHours(5));
        var whileClosed = (await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, ct)).Value!;
        Assert.Equal(1_000_160_000, whileClosed.CurrentFlowMillilitres);
        Assert.Equal(Cjt188ValveState.Closed, whileClosed.Status.Valve);

        await client.SetValveAsync(Cjt188MeterTypes.ColdWater, Meter, Cjt188ValveCommand.Open, ct);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1_000_220_000, (await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, ct)).Value!.CurrentFlowMillilitres);
    }

    public static TheoryData<string> Dialects => ["default", "all-high-first+high-bits", "valve-low-first", "valve-2A"];

    /// <summary>The platform's options and the simulated meter's own dialect, described twice on purpose.</summary>
    private static (Cjt188Options, Cjt188MeterDialect) Dialect(string name) => name switch
    {
        "default" => (Cjt188Options.Default, Cjt188MeterDialect.Sc),
        "all-high-first+high-bits" => (Cjt188Options.HighBitStatus with { ReadDiOrder = Cjt188DiOrder.HighByteFirst },
            new Cjt188MeterDialect(ReadDiLowFirst: false, ValveShift: 6, BatteryMask: 0x20)),
        "valve-low-first" => (Cjt188Options.Default with { ValveDiOrder = Cjt188DiOrder.LowByteFirst }, new Cjt188MeterDialect(ValveDiLowFirst: true)),
        _ => (Cjt188Options.Default with { ValveControlCode = 0x2A }, new Cjt188MeterDialect(ValveControl: 0x2A)),
    };

    [Fact]
    public async Task MismatchedDiOrder_IsRefusedNotCrashed()
    {
        await using var gateway = new Cjt188GatewaySimulator([WaterMeter()], new Cjt188MeterDialect(ReadDiLowFirst: false)).Start();
        await using var client = Cjt188Client.OverTcp("127.0.0.1", gateway.Port, Cjt188Options.Default);

        var result = await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Refused, result.Status);
        Assert.Equal(1, client.Counters.DeviceErrors);
    }

    [Fact]
    public async Task BatteryLow_IsReported()
    {
        var meter = WaterMeter();
        meter.BatteryLow = true;
        await using var gateway = new Cjt188GatewaySimulator([meter]).Start();
        await using var client = Cjt188Client.OverTcp("127.0.0.1", gateway.Port);

        var result = await client.ReadAsync(Cjt188MeterTypes.ColdWater, Meter, TestContext.Current.CancellationToken);

        Assert.True(result.Value!.Status.BatteryLow);
    }
}
