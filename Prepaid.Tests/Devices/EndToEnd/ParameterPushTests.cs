using System.Net;
using System.Net.Http.Json;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>pushTariff / pushSettings: written to DL/T 645 meters with 0x14 and confirmed by reading every value back.</summary>
public class ParameterPushTests
{
    [Fact]
    public async Task PushTariffFromTheAccount_AndSettingsFromThePayload_ConfirmedByReadBack_ModbusMeterRefusedOnRecord()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meter = new SimulatedElectricMeter(1, "000000000021", app.Time, LoadProfile.Constant(500));
        await using var gateway = new Dlt645GatewaySimulator([meter]).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var tariff = await site.FlatTariffAsync("0.9500");
        var meterId = await site.MeterAsync("E-21");
        var plain = await site.MeterAsync("E-22");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "dlt645Tcp", gateway.Port, timeoutMs: 1000), meter.Address, "dlt645-2007");
        await DeviceApp.ConnectAsync(client, plain, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", 1, "modbus"), "1", "generic-modbus");
        await site.AccountAsync(await site.TenantAsync(), [(meterId, tariff, "0")], app.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"));

        var tariffCommand = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "pushTariff" })).GetProperty("commandId").GetInt64();
        var settings = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "pushSettings", payload = new { alarm1 = "30.00", alarm2 = "12.50" } }))
            .GetProperty("commandId").GetInt64();
        var refused = await client.PostOkAsync($"/api/meters/{plain}/commands", new { kind = "pushTariff" });
        await app.Dispatcher.RunOnceAsync(ct);

        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{tariffCommand}")).Str("state"));
        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{settings}")).Str("state"));
        Assert.All(new[] { MeterSettings.Price1, MeterSettings.Price2, MeterSettings.Price3, MeterSettings.Price4 },
            p => Assert.Equal(9500, meter.Settings[p]));
        Assert.Equal(3000, meter.Settings[MeterSettings.Alarm1]);
        Assert.Equal(1250, meter.Settings[MeterSettings.Alarm2]);
        Assert.Equal("failed", refused.Str("state"));
        Assert.Contains("generic-modbus", refused.Str("error"));

        var bad = await client.PostAsJsonAsync($"/api/meters/{meterId}/commands", new { kind = "pushTariff", payload = new { prices = new { sharp = "1.00001" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("payload", System.Text.Json.JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.ErrorFields());
    }
}
