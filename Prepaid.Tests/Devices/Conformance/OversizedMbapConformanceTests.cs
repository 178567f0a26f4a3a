using System.Globalization;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Conformance;

/// <summary>An MBAP length beyond the largest ADU (issue 11, fix 1), sent to libmodbus 3.1.6 as the reference and to the
/// platform's own Modbus TCP server: both must close the connection and answer nothing.</summary>
[Collection(nameof(ConformanceCollection))]
public class OversizedMbapConformanceTests
{
    [Fact]
    public async Task Libmodbus_ClosesTheConnection_OnAnOversizedMbapFrame()
    {
        var server = await PeerTools.LibmodbusServerAsync();
        var port = PeerTools.FreePort();
        await using var peer = new PeerTools.Peer(PeerTools.Start(server, ["tcp", port.ToString(CultureInfo.InvariantCulture)]));
        await peer.WaitForAsync("ready");

        var answer = await RawTcp.SendAsync(port, Frames.OversizedMbapRequest(), TimeSpan.FromSeconds(5));

        Assert.Empty(answer.Bytes);
        Assert.True(answer.ClosedByServer, "libmodbus drops the connection");
    }

    [Fact]
    public async Task PlatformModbusTcpServer_ClosesTheConnection_OnAnOversizedMbapFrame()
    {
        var time = SettableTimeProvider.At2026();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(
            [new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(1200), 100_000)]));
        gateway.Start();

        var answer = await RawTcp.SendAsync(gateway.Port, Frames.OversizedMbapRequest(), TimeSpan.FromSeconds(5));

        Assert.False(Hex.Format(answer.Bytes).Contains(Frames.OversizedMbapPhantomReply, StringComparison.Ordinal));
        Assert.Empty(answer.Bytes);
        Assert.True(answer.ClosedByServer, "the platform's server drops the connection, as libmodbus does");
    }
}
