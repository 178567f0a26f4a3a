using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>pushTariff / pushSettings (issue 11, fix 4): written to the profiles that have tariff and settings registers
/// (DL/T 645 0x14, Modbus FC 0x10), confirmed by reading every value back; the operator names the values; a batch says
/// before sending which meters cannot take it.</summary>
public class ParameterPushTests
{
    static string Now(DeviceApp app) => app.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");

    [Fact]
    public async Task PushTariffFromTheAccount_AndSettingsFromThePayload_ConfirmedByReadBack_AMeterWithoutRegistersRefusedOnRecord()
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
        await DeviceApp.ConnectAsync(client, plain, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", 1, "modbus"), "1", "acrel-ddsy1352");
        await site.AccountAsync(await site.TenantAsync(), [(meterId, tariff, "0")], Now(app));

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
        Assert.Contains("acrel-ddsy1352", refused.Str("error"));

        var bad = await client.PostAsJsonAsync($"/api/meters/{meterId}/commands", new { kind = "pushTariff", payload = new { prices = new { sharp = "1.00001" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("payload", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.ErrorFields());
    }

    [Fact]
    public async Task PushTariffAndSettings_ToAGenericModbusMeter_WrittenWithFc16_ConfirmedByReadBack()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meter = new SimulatedElectricMeter(3, "000000000003", app.Time, LoadProfile.Constant(500));
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var meterId = await site.MeterAsync("E-3");
        await DeviceApp.ConnectAsync(client, meterId, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port), "3", "generic-modbus");

        var tariff = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new
        {
            kind = "pushTariff", payload = new { prices = new { sharp = "1.0300", peak = "0.9500", flat = "0.6853", valley = "0.3500" } },
        })).GetProperty("commandId").GetInt64();
        var limits = (await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "pushSettings", payload = new { overloadLimit = "5.500", alarm2 = "8.00" } }))
            .GetProperty("commandId").GetInt64();
        await app.Dispatcher.RunOnceAsync(ct);

        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{tariff}")).Str("state"));
        Assert.Equal("confirmed", (await client.GetOkAsync($"/api/commands/{limits}")).Str("state"));
        Assert.Equal(10300, meter.Settings[MeterSettings.Price1]);
        Assert.Equal(9500, meter.Settings[MeterSettings.Price2]);
        Assert.Equal(6853, meter.Settings[MeterSettings.Price3]);
        Assert.Equal(3500, meter.Settings[MeterSettings.Price4]);
        Assert.Equal(5500, meter.Settings[MeterSettings.OverloadLimit]);    // W
        Assert.Equal(800, meter.Settings[MeterSettings.Alarm2]);             // fen
        Assert.False(meter.Settings.ContainsKey(MeterSettings.Alarm1));      // only what the operator named is written
    }

    [Fact]
    public async Task Batch_ListsTheMetersThatCannotTakeIt_BeforeAnyCommandIsCreated()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var dlt = await site.MeterAsync("E-1");
        var modbus = await site.MeterAsync("E-2");
        var water = await site.MeterAsync("W-3", "water");
        var unconnected = await site.MeterAsync("E-4");
        await DeviceApp.ConnectAsync(client, dlt, await DeviceApp.BusAsync(client, site.SiteId, "dlt645Tcp", 1, "dlt"), "000000000001", "dlt645-2007");
        await DeviceApp.ConnectAsync(client, modbus, await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", 1, "mb"), "2", "generic-modbus");
        await DeviceApp.ConnectAsync(client, water, await DeviceApp.BusAsync(client, site.SiteId, "cjt188Tcp", 1, "cjt"), "00000000000003", "cjt188-water");
        var ids = new[] { dlt, modbus, water, unconnected };
        var prices = new { sharp = "1.0000", peak = "0.9000", flat = "0.7000", valley = "0.3000" };

        var response = await client.PostAsJsonAsync("/api/batches", new { meterIds = ids, command = new { kind = "pushTariff", payload = new { prices } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["meterIds[2]", "meterIds[3]"], problem.ErrorFields().Order());
        Assert.Contains("cjt188-water", problem.GetProperty("errors").GetProperty("meterIds[2]")[0].GetString());
        Assert.Contains("no connection", problem.GetProperty("errors").GetProperty("meterIds[3]")[0].GetString());
        foreach (var id in ids) Assert.Equal(0, (await client.GetOkAsync($"/api/meters/{id}/commands")).GetArrayLength());

        // An overload limit only the Modbus map has: the DL/T 645 meter is named before anything is sent.
        response = await client.PostAsJsonAsync("/api/batches", new { meterIds = new[] { dlt, modbus }, command = new { kind = "pushSettings", payload = new { overloadLimit = "4.000" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["meterIds[0]"], problem.ErrorFields());
        Assert.Contains("overloadLimit", problem.GetProperty("errors").GetProperty("meterIds[0]")[0].GetString());

        // The meters that can take it go as one batch.
        var batch = await client.PostOkAsync("/api/batches", new { meterIds = new[] { dlt, modbus }, command = new { kind = "pushTariff", payload = new { prices } } });
        Assert.Equal(2, (await client.GetOkAsync($"/api/batches/{batch.GetProperty("batchId").GetInt64()}")).GetProperty("counts").GetProperty("requested").GetInt32());
    }

    [Fact]
    public async Task MeterProfiles_SayWhichValuesEachModelTakes()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var profiles = (await client.GetOkAsync("/api/meter-profiles")).EnumerateArray().ToDictionary(p => p.Str("name"));

        string[] Parameters(string name) => [.. profiles[name].GetProperty("parameters").EnumerateArray().Select(p => p.GetString()!)];
        Assert.Equal(["price1", "price2", "price3", "price4", "alarm1", "alarm2", "overloadLimit"], Parameters("generic-modbus"));
        Assert.Equal(["price1", "price2", "price3", "price4", "alarm1", "alarm2"], Parameters("dlt645-2007"));
        Assert.Empty(Parameters("cjt188-water"));
        Assert.Empty(Parameters("nbiot-water"));
    }
}
