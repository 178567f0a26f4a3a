using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>With the background loops on, as in production: Quartz polls each bus on its interval by the platform's
/// clock, and the dispatcher acts on an operator's command by itself.</summary>
public class BackgroundLoopTests
{
    [Fact]
    public async Task QuartzPollsTheBusOnItsInterval_AndTheDispatcherLoopSwitchesWithoutBeingDriven()
    {
        await using var app = new DeviceApp(background: true);
        var client = await app.AdminAsync();
        var meter = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(3600)) { RegisterStepWh = 10 };
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var meterId = await site.MeterAsync("E-1");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port), "1", "generic-modbus");

        // The bus polls every 60 s of the platform's (fake) clock: step the clock and let real time pass for the sockets.
        async Task<int> ReadingsAfterAsync(TimeSpan step, int want)
        {
            var count = 0;
            for (var i = 0; i < 100 && count < want; i++)
            {
                app.Time.Advance(step);
                await Task.Delay(100, TestContext.Current.CancellationToken);
                count = (await client.GetOkAsync($"/api/meters/{meterId}/readings")).GetArrayLength();
            }
            return count;
        }
        Assert.True(await ReadingsAfterAsync(TimeSpan.FromSeconds(1), 1) >= 1, "Quartz did not poll the bus");
        Assert.True(await ReadingsAfterAsync(TimeSpan.FromSeconds(10), 2) >= 2, "Quartz did not poll the bus again after its interval");

        var id = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
        var state = "requested";
        for (var i = 0; i < 50 && state != "confirmed"; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            state = (await client.GetOkAsync($"/api/commands/{id}")).Str("state");
        }
        Assert.Equal("confirmed", state);
        Assert.True(meter.RelayOpen);
    }
}
