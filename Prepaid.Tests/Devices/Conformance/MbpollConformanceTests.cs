using System.Globalization;
using System.Text.RegularExpressions;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Conformance;

/// <summary>mbpoll 1.4 (an independent master) against our simulators: Modbus TCP to the gateway, and RTU from a
/// pseudo-terminal that socat bridges to our transparent-DTU simulator.</summary>
[Collection(nameof(ConformanceCollection))]
public partial class MbpollConformanceTests
{
    readonly SettableTimeProvider time = SettableTimeProvider.At2026();

    SimulatedElectricMeter Meter() => new(1, "000000000001", time, LoadProfile.Constant(1200), initialTotalWh: 100_000) { RegisterStepWh = 10 };

    [GeneratedRegex(@"\[(\d+)\]:\s+(-?\d+)")]
    private static partial Regex Value();

    static Dictionary<int, int> Values(string output) =>
        Value().Matches(output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task Mbpoll_ReadsOurTcpGateway_AndTripsTheRelayWithACoilWrite()
    {
        PeerTools.Require("mbpoll", "mbpoll");
        var meter = Meter();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var port = gateway.Port.ToString(CultureInfo.InvariantCulture);

        var (code, output) = await PeerTools.RunAsync("mbpoll", ["-m", "tcp", "-a", "1", "-r", "1", "-c", "11", "-t", "4", "-1", "-o", "2", "-p", port, "127.0.0.1"], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, output);
        var values = Values(output);
        Assert.Equal(0, values[1]);                 // total 100000 Wh = 10000 counts of 0.01 kWh, high word first
        Assert.Equal(10_000, values[2]);
        Assert.Equal(0, values[11]);                // relay status register: closed

        (code, output) = await PeerTools.RunAsync("mbpoll", ["-m", "tcp", "-a", "1", "-r", "1", "-t", "0", "-o", "2", "-p", port, "127.0.0.1", "1"], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, output);
        Assert.True(meter.RelayOpen);

        // Unit 9 is not on the bus: the gateway answers exception 0B (target failed to respond), which mbpoll reports.
        (code, output) = await PeerTools.RunAsync("mbpoll", ["-m", "tcp", "-a", "9", "-r", "1", "-c", "1", "-t", "4", "-1", "-o", "2", "-p", port, "127.0.0.1"], TimeSpan.FromSeconds(20));
        Assert.Contains("arget", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MbpollRtu_OverAPtyBridgedBySocat_ReadsOurRtuDtu()
    {
        PeerTools.Require("mbpoll", "mbpoll");
        PeerTools.Require("socat", "socat");
        var meter = Meter();
        await using var dtu = new ModbusRtuDtuSimulator(new ModbusBus([meter])).Start();
        var tty = Path.Combine(Directory.CreateTempSubdirectory("prepaid-pty-").FullName, "ttyDtu");
        await using var bridge = new PeerTools.Peer(PeerTools.Start("socat", [$"pty,raw,echo=0,link={tty}", $"tcp:127.0.0.1:{dtu.Port}"]));
        for (var i = 0; i < 100 && !File.Exists(tty); i++) await Task.Delay(50, TestContext.Current.CancellationToken);

        var (code, output) = await PeerTools.RunAsync("mbpoll",
            ["-m", "rtu", "-a", "1", "-b", "9600", "-P", "none", "-s", "1", "-r", "1", "-c", "2", "-t", "4", "-1", "-o", "2", tty], TimeSpan.FromSeconds(20));
        Assert.True(code == 0, output);
        Assert.Equal(10_000, Values(output)[2]);
    }
}
