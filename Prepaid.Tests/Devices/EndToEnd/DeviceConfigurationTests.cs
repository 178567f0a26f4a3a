using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>Gateways, buses, connections and commands as API resources: bad input answers problem details naming the field.</summary>
public class DeviceConfigurationTests
{
    static async Task<(DeviceApp App, HttpClient Client, SiteBuilder Site)> AppAsync()
    {
        var app = new DeviceApp();
        var client = await app.AdminAsync();
        return (app, client, await new SiteBuilder(client).SiteAsync());
    }

    static async Task<string[]> FieldsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonDocument.Parse(text).RootElement.ErrorFields();
    }

    [Fact]
    public async Task Gateway_UnknownProtocolOrMissingPort_NamesTheField()
    {
        var (app, client, site) = await AppAsync();
        await using var _ = app;
        Assert.Contains("protocol", await FieldsAsync(await client.PostAsJsonAsync("/api/gateways", new { siteId = site.SiteId, name = "g", protocol = "bacnet", host = "h", port = 1 }), HttpStatusCode.BadRequest));
        Assert.Contains("port", await FieldsAsync(await client.PostAsJsonAsync("/api/gateways", new { siteId = site.SiteId, name = "g", protocol = "modbusTcp", host = "h" }), HttpStatusCode.BadRequest));
        Assert.Contains("baudRate", await FieldsAsync(await client.PostAsJsonAsync("/api/gateways/1/buses", new { name = "b", baudRate = 1234 }), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Connection_BadAddressOrProfileOrWrongGateway_NamesTheField()
    {
        var (app, client, site) = await AppAsync();
        await using var _ = app;
        var busId = await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", 502);
        var meterId = await site.MeterAsync("E-1");
        Assert.Contains("address", await FieldsAsync(await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "300", profile = "generic-modbus" }), HttpStatusCode.BadRequest));
        Assert.Contains("profile", await FieldsAsync(await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "1", profile = "nope" }), HttpStatusCode.BadRequest));
        Assert.Contains("profile", await FieldsAsync(await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "000000000001", profile = "dlt645-2007" }), HttpStatusCode.BadRequest));
        Assert.Contains("profile", await FieldsAsync(await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "00000000000001", profile = "cjt188-water" }), HttpStatusCode.BadRequest));

        var ok = await client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { busId, address = "1", profile = "generic-modbus" });
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());
        var meter = await client.GetOkAsync($"/api/meters/{meterId}");
        Assert.Equal("generic-modbus", meter.GetProperty("connection").Str("profile"));
        var profiles = await client.GetOkAsync("/api/meter-profiles");
        var byName = profiles.EnumerateArray().ToDictionary(p => p.Str("name"));
        // Acrel's own table backs the read-only profile; the EMS plugin's control register is in no Acrel document.
        Assert.True(byName["acrel-ddsy1352"].GetProperty("verified").GetBoolean());
        Assert.Contains("Acrel", byName["acrel-ddsy1352"].GetProperty("sources")[0].Str("publisher"));
        Assert.False(byName["acrel-ems-plugin"].GetProperty("verified").GetBoolean());
        Assert.Contains("0x0057", byName["acrel-ems-plugin"].GetProperty("unverified")[0].GetString());
        Assert.False(byName["cjt188-water-valve-2a"].GetProperty("verified").GetBoolean());
        Assert.True(byName["cjt188-sc-valve"].GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Commands_BadKindOrUnknownMeters_NameTheField_AndUnconnectedMetersFailOnRecord()
    {
        var (app, client, site) = await AppAsync();
        await using var _ = app;
        var meterId = await site.MeterAsync("E-1");
        Assert.Contains("kind", await FieldsAsync(await client.PostAsJsonAsync($"/api/meters/{meterId}/commands", new { kind = "explode" }), HttpStatusCode.BadRequest));
        Assert.Contains("meterIds[1]", await FieldsAsync(await client.PostAsJsonAsync("/api/batches", new { meterIds = new[] { meterId, 999 }, command = new { kind = "trip" } }), HttpStatusCode.BadRequest));
        Assert.Contains("command.kind", await FieldsAsync(await client.PostAsJsonAsync("/api/batches", new { meterIds = new[] { meterId }, command = new { kind = "x" } }), HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/meters/999/commands", new { kind = "trip" })).StatusCode);

        // A meter without a connection: the command is recorded as failed, with the reason.
        var created = await client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "trip" });
        Assert.Equal("failed", created.Str("state"));
        Assert.Contains("no connection", created.Str("error"));
        Assert.Equal("failed", (await client.GetOkAsync($"/api/commands/{created.GetProperty("commandId").GetInt64()}")).Str("state"));
    }
}
