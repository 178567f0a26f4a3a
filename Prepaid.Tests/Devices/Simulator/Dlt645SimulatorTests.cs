using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Simulator;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Simulator;

public class Dlt645SimulatorTests
{
    private const string MeterA = "000000000161";
    private const string MeterB = "000000000162";
    private readonly SettableTimeProvider _time = SettableTimeProvider.At2026();

    private Dlt645GatewaySimulator Gateway(LoadProfile? profile = null) => (Dlt645GatewaySimulator)new Dlt645GatewaySimulator(
    [
        new SimulatedElectricMeter(1, MeterA, _time, profile ?? LoadProfile.Constant(1000), 260),
        new SimulatedElectricMeter(2, MeterB, _time, profile ?? LoadProfile.Constant(1000)),
    ]).Start();

    private DateTime MeterLocalIn(TimeSpan span) => _time.GetUtcNow().Add(span).ToOffset(TimeSpan.Zero).DateTime;

    [Fact]
    public async Task ReadEnergies_TotalAndFourPeriods()
    {
        await using var gateway = Gateway(LoadProfile.Default);
        await using var client = Dlt645Client.OverTcp("127.0.0.1", gateway.Port);
        var ct = TestContext.Current.CancellationToken;

        _time.Advance(TimeSpan.FromDays(1));
        var energies = await client.ReadEnergiesAsync(MeterA, ct);

        Assert.Equal(DeviceResultStatus.Ok, energies.Status);
        // Integer Wh → 0.01 kWh register truncates to tens of Wh.
        Assert.Equal((260 + LoadProfile.Default.WattsByHour.Sum()) / 10 * 10, energies.Value!.TotalWh);
        Assert.Equal(4, energies.Value.PeriodsWh.Length);
        Assert.All(energies.Value.PeriodsWh, wh => Assert.True(wh > 0));
    }

    [Fact]
    public async Task Trip_ReadBackStatusWord3_EnergyStops_CloseResumes()
    {
        await using var gateway = Gateway();
        await using var client = Dlt645Client.OverTcp("127.0.0.1", gateway.Port);
        var ct = TestContext.Current.CancellationToken;

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1260, (await client.ReadEnergyWhAsync(MeterA, Dlt645DataIds.ForwardActiveTotal, ct)).Value);

        var trip = await client.ControlAsync(MeterA, Dlt645RelayAction.Trip, MeterLocalIn(TimeSpan.FromMinutes(5)),
            Dlt645Credentials.Default, ct);
        Assert.Equal(DeviceResultStatus.Ok, trip.Status);
        var status = (await client.ReadStatusWord3Async(MeterA, ct)).Value;
        Assert.True(status.RelayOpen);
        Assert.True(status.RelayCommandOpen);
        Assert.Equal(1, status.MeterType);

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1260, (await client.ReadEnergyWhAsync(MeterA, Dlt645DataIds.ForwardActiveTotal, ct)).Value);
        Assert.Equal(3000, (await client.ReadEnergyWhAsync(MeterB, Dlt645DataIds.ForwardActiveTotal, ct)).Value);

        await client.ControlAsync(MeterA, Dlt645RelayAction.DirectClose, MeterLocalIn(TimeSpan.FromMinutes(5)),
            Dlt645Credentials.Default, ct);
        Assert.False((await client.ReadStatusWord3Async(MeterA, ct)).Value.RelayOpen);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2260, (await client.ReadEnergyWhAsync(MeterA, Dlt645DataIds.ForwardActiveTotal, ct)).Value);
    }

    [Fact]
    public async Task Control_ExpiredOrUnauthorisedOrKeepPower_IsRefused()
    {
        await using var gateway = Gateway();
        await using var client = Dlt645Client.OverTcp("127.0.0.1", gateway.Port);
        var ct = TestContext.Current.CancellationToken;

        var expired = await client.ControlAsync(MeterA, Dlt645RelayAction.Trip, MeterLocalIn(TimeSpan.FromMinutes(-1)),
            Dlt645Credentials.Default, ct);
        var wrongPassword = await client.ControlAsync(MeterA, Dlt645RelayAction.Trip, MeterLocalIn(TimeSpan.FromMinutes(5)),
            Dlt645Credentials.Default with { Password = "123456" }, ct);
        await client.ControlAsync(MeterA, Dlt645RelayAction.KeepPowerOn, MeterLocalIn(TimeSpan.FromMinutes(5)),
            Dlt645Credentials.Default, ct);
        var whileKeepPower = await client.ControlAsync(MeterA, Dlt645RelayAction.Trip, MeterLocalIn(TimeSpan.FromMinutes(5)),
            Dlt645Credentials.Default, ct);

        Assert.Equal(DeviceResultStatus.Refused, expired.Status);
        Assert.Equal((byte)Dlt645ErrorFlags.Unauthorised, wrongPassword.ErrorCode);
        Assert.Equal(DeviceResultStatus.Refused, whileKeepPower.Status);
        var status = (await client.ReadStatusWord3Async(MeterA, ct)).Value;
        Assert.False(status.RelayOpen);
        Assert.True(status.KeepPower);
        Assert.Equal(3, client.Counters.DeviceErrors);
    }

    [Fact]
    public async Task UnknownDataId_IsRefusedWithNoRequestedData_AndAbsentMeterTimesOut()
    {
        await using var gateway = Gateway();
        await using var client = Dlt645Client.OverTcp("127.0.0.1", gateway.Port, TimeSpan.FromMilliseconds(500));
        var ct = TestContext.Current.CancellationToken;

        var unknown = await client.ReadAsync(MeterA, Dlt645DataIds.PhaseAVoltage, ct);
        var absent = await client.ReadAsync("000000000999", Dlt645DataIds.ForwardActiveTotal, ct);

        Assert.Equal((byte)Dlt645ErrorFlags.NoRequestedData, unknown.ErrorCode);
        Assert.Equal(DeviceResultStatus.Timeout, absent.Status);
    }
}
