using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>The poller and the dispatcher against simulated gateways of every kind, over real loopback TCP.</summary>
public class PollingAndDispatchTests
{
    [Fact]
    public async Task MeterMissingPolls_TurnsOfflineWithAnAlarm_AndComesBackByItself()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meter = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 };
        var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var port = gateway.Port;
        var site = await new SiteBuilder(client).SiteAsync();
        var meterId = await site.MeterAsync("E-1");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", port, offlineAfter: 3), "1", "generic-modbus");

        await app.Poller.SweepAllAsync(ct);
        Assert.True((await client.GetOkAsync($"/api/meters/{meterId}/device-status")).GetProperty("online").GetBoolean());

        await gateway.DisposeAsync();                                 // the gateway loses power
        for (var i = 1; i <= 3; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            await app.Poller.SweepAllAsync(ct);
            var status = await client.GetOkAsync($"/api/meters/{meterId}/device-status");
            Assert.Equal(i, status.GetProperty("missedPolls").GetInt32());
            Assert.Equal(i < 3, status.GetProperty("online").GetBoolean());
        }
        var alarm = (await client.GetOkAsync($"/api/device-alarms?meterId={meterId}&openOnly=true")).EnumerateArray().Single();
        Assert.Equal("offline", alarm.Str("kind"));
        var link = (await client.GetOkAsync("/api/buses")).EnumerateArray().Single().GetProperty("link");
        // The open connection broke on the first poll, the next two could not connect: counted, never thrown.
        Assert.Equal(3, link.GetProperty("connectionsLost").GetInt64() + link.GetProperty("connectFailures").GetInt64());

        await using var rebooted = new ModbusTcpGatewaySimulator(new ModbusBus([meter])) { ListenPort = port }.Start();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.Poller.SweepAllAsync(ct);
        Assert.True((await client.GetOkAsync($"/api/meters/{meterId}/device-status")).GetProperty("online").GetBoolean());
        Assert.Empty((await client.GetOkAsync($"/api/device-alarms?meterId={meterId}&openOnly=true")).EnumerateArray());
        Assert.Equal(2, (await client.GetOkAsync($"/api/meters/{meterId}/readings")).GetArrayLength());
    }

    [Fact]
    public async Task TrippedMeterWhoseEnergyKeepsRising_RaisesRelayFailure()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meter = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(2000)) { RegisterStepWh = 10, Welded = true };
        await using var gateway = new ModbusRtuDtuSimulator(new ModbusBus([meter])).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var meterId = await site.MeterAsync("E-1");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "modbusRtuOverTcp", gateway.Port), "1", "generic-modbus");

        var id = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{id}")).Str("state"));   // the status register says open
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await app.Poller.SweepAllAsync(ct);
        var alarm = (await client.GetOkAsync($"/api/device-alarms?meterId={meterId}&openOnly=true")).EnumerateArray().Single();
        Assert.Equal("relayFailure", alarm.Str("kind"));
    }

    [Fact]
    public async Task Dlt645KeepOnAndTrip_AndCjt188Valve_ConfirmedByTheirOwnStatus_InOneBatchReport()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var electric = new SimulatedElectricMeter(1, "000000000013", app.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 };
        var other = new SimulatedElectricMeter(2, "000000000014", app.Time, LoadProfile.Constant(1000)) { RegisterStepWh = 10 };
        var water = new SimulatedWaterMeter("00000000000017", app.Time, 100);
        await using var dlt = new Dlt645GatewaySimulator([electric, other]).Start();
        await using var cjt = new Cjt188GatewaySimulator([water]).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var e1 = await site.MeterAsync("E-13");
        var e2 = await site.MeterAsync("E-14");
        var w = await site.MeterAsync("W-17", "water");
        var dltBus = await DeviceApp.BusAsync(client, site.SiteId, "dlt645Tcp", dlt.Port, "dlt", timeoutMs: 1000);
        await DeviceApp.ConnectAsync(client, e1, dltBus, electric.Address, "dlt645-2007");
        await DeviceApp.ConnectAsync(client, e2, dltBus, other.Address, "dlt645-2007");
        await DeviceApp.ConnectAsync(client, w, await DeviceApp.BusAsync(client, site.SiteId, "cjt188Tcp", cjt.Port, "cjt", timeoutMs: 1000), water.Address, "cjt188-water");

        // Keep-on on e1 first; then a batch trips all three (the water meter's trip closes its valve).
        await client.PostOkAsync($"/api/meters/{e1}/commands", new { kind = "keepOn" });
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.True(electric.KeepPower);
        var batch = (await client.PostOkAsync("/api/batches", new { meterIds = new[] { e1, e2, w }, command = new { kind = "trip" } })).GetProperty("batchId").GetInt64();
        await app.Dispatcher.RunOnceAsync(ct);
        Assert.False(electric.RelayOpen);                             // refused: keep-power holds
        Assert.True(other.RelayOpen);
        Assert.True(water.ValveClosed);
        var progress = await client.GetOkAsync($"/api/batches/{batch}");
        Assert.Equal(2, progress.GetProperty("counts").GetProperty("confirmed").GetInt32());
        Assert.Equal(1, progress.GetProperty("counts").GetProperty("sent").GetInt32());   // retrying with back-off
        Assert.Contains("refused", progress.GetProperty("meters")[0].Str("error"));

        for (var i = 0; i < 6; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(10));
            client = await app.AdminAsync();
            await app.Dispatcher.RunOnceAsync(ct);
        }
        progress = await client.GetOkAsync($"/api/batches/{batch}");
        Assert.Equal(1, progress.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.True(progress.GetProperty("done").GetBoolean());

        // Water stops while the valve is closed, and the poll reads the valve back too.
        var before = water.ReadMillilitres();
        app.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(before, water.ReadMillilitres());
        await app.Poller.SweepAllAsync(ct);
        Assert.Equal("open", (await client.GetOkAsync($"/api/meters/{w}")).Str("relay"));
        Assert.Equal("closed", (await client.GetOkAsync($"/api/meters/{e1}")).Str("relay"));
    }
}
