using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.Conformance;

/// <summary>The poller and the dispatcher on a real serial port (System.IO.Ports): a socat pseudo-terminal bridged to
/// our RTU meter bus, configured through the API as a "modbusRtu" gateway.</summary>
[Collection(nameof(ConformanceCollection))]
public class SerialPollerTests
{
    [Fact]
    public async Task ModbusRtuGateway_OnASerialPort_PollsAndSwitches()
    {
        PeerTools.Require("socat", "socat");
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meter = new SimulatedElectricMeter(3, "000000000003", app.Time, LoadProfile.Constant(1000), initialTotalWh: 5_000) { RegisterStepWh = 10 };
        await using var dtu = new ModbusRtuDtuSimulator(new ModbusBus([meter])).Start();
        var tty = Path.Combine(Directory.CreateTempSubdirectory("prepaid-pty-").FullName, "ttyBus");
        await using var bridge = new PeerTools.Peer(PeerTools.Start("socat", [$"pty,raw,echo=0,link={tty}", $"tcp:127.0.0.1:{dtu.Port}"]));
        for (var i = 0; i < 100 && !File.Exists(tty); i++) await Task.Delay(50, ct);

        var site = await new SiteBuilder(client).SiteAsync();
        var gateway = await client.PostOkAsync("/api/gateways", new { siteId = site.SiteId, name = "usb-485", protocol = "modbusRtu", serialPort = tty, timeoutMs = 1000 });
        var bus = await client.PostOkAsync($"/api/gateways/{gateway.Id()}/buses", new { name = "bus-1", baudRate = 9600 });
        var meterId = await site.MeterAsync("E-3");
        await DeviceApp.ConnectAsync(client, meterId, bus.Id(), "3", "generic-modbus");

        await app.Poller.SweepAllAsync(ct);
        Assert.Equal("5", (await client.GetOkAsync($"/api/meters/{meterId}/readings"))[0].GetProperty("registers").Str("total"));
        var id = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{id}")).Str("state"));
        Assert.True(meter.RelayOpen);
    }
}
