using System.Net;
using System.Text;
using System.Text.Json;
using Prepaid.Devices.NbIot;
using Prepaid.Tests.Devices.NbIot;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.Fuzz;

/// <summary>
/// The NB-IoT callback endpoints under random, truncated, oversized and type-confused bodies: each is answered 200 (a
/// platform retries anything else, issue 3) and none is a report, so no reading, no meter status and no command moves.
/// </summary>
public class NbIotCallbackFuzzTests
{
    static readonly string[] Pushes =
    [
        """{"resource":"device.property","event":"report","notify_data":{"header":{"device_id":"dev-1"},"body":{"services":[{"service_id":"Meter","properties":{"total":"12.5","valve":"open"},"event_time":"20261123T010000Z"}]}}}""",
        """{"resource":"device.command.status","event":"update","notify_data":{"header":{"device_id":"dev-1"},"body":{"command_id":"1001","status":"SUCCESSFUL"}}}""",
        """{"messageType":"dataReport","deviceId":"dev-1","timestamp":1795000000000,"payload":{"serviceId":"Meter","serviceData":{"total":"12.5","valve":"open"}}}""",
        """{"messageType":"commandResponse","deviceId":"dev-1","taskId":1001,"result":{"resultCode":"DELIVERED","resultDetail":""}}""",
    ];

    /// <summary>Bodies that are not usable pushes: truncations, noise, floods, and well-formed JSON whose values have the wrong type or size.</summary>
    static IEnumerable<byte[]> Bodies(Random random)
    {
        foreach (var push in Pushes)
        {
            for (var i = 0; i < 12; i++) yield return Encoding.UTF8.GetBytes(push[..random.Next(0, push.Length - 1)]);
        }
        for (var i = 0; i < 20; i++)
        {
            var noise = new byte[random.Next(0, 2000)];
            random.NextBytes(noise);
            yield return noise;
        }
        yield return new byte[2_000_000];
        yield return Encoding.UTF8.GetBytes(new string('[', 100_000));
        foreach (var total in new[] { "\"99999999999999999999999999\"", "\"1e400\"", "1e400", "{}", "[]", "null", "true", "\"-1\"", "\"NaN\"", "79228162514264337593543950335" })
        {
            yield return Encoding.UTF8.GetBytes("""{"resource":"device.property","notify_data":{"header":{"device_id":"dev-1"},"body":{"services":[{"properties":{"total":TOTAL,"valve":7}}]}}}""".Replace("TOTAL", total, StringComparison.Ordinal));
            yield return Encoding.UTF8.GetBytes("""{"messageType":"dataReport","deviceId":"dev-1","timestamp":TOTAL,"payload":{"serviceData":{"total":TOTAL}}}""".Replace("TOTAL", total, StringComparison.Ordinal));
            yield return Encoding.UTF8.GetBytes("""{"messageType":"commandResponse","deviceId":"dev-1","taskId":TOTAL,"result":{"resultCode":TOTAL}}""".Replace("TOTAL", total, StringComparison.Ordinal));
            yield return Encoding.UTF8.GetBytes("""{"resource":"device.command.status","notify_data":{"body":{"command_id":TOTAL,"status":TOTAL}}}""".Replace("TOTAL", total, StringComparison.Ordinal));
        }
        yield return Encoding.UTF8.GetBytes("""{"messageType":"dataReport","deviceId":"dev-1","payload":{"APPdata":"not base64!"}}""");
        yield return Encoding.UTF8.GetBytes("""{"messageType":"dataReport","deviceId":"dev-1","payload":{"APPdata":"aGVsbG8="}}""");
    }

    [Theory]
    [InlineData("iotda")]
    [InlineData("ctwing")]
    public async Task UnusableBodies_AreAnswered200_AndChangeNothing(string protocol)
    {
        await using var rig = await NbIotPlatformTests.RigAsync(protocol == "iotda" ? NbIotPlatform.Iotda : NbIotPlatform.Ctwing, water: true);
        var ct = TestContext.Current.CancellationToken;
        var command = (await rig.Client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "valveClose" })).GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(ct);
        var before = await StateAsync(rig, command);
        var platform = rig.App.Host.CreateClient();

        foreach (var body in Bodies(new Random(protocol.Length)))
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await platform.PostAsync($"/api/nbiot/{rig.GatewayId}/{protocol}?token=cb-secret", content, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{(int)response.StatusCode} for {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 200)])}");
        }

        Assert.Equal(before, await StateAsync(rig, command));
    }

    static async Task<string> StateAsync(NbIotPlatformTests.Rig rig, long commandId)
    {
        var client = await rig.App.AdminAsync();
        var readings = await client.GetOkAsync($"/api/meters/{rig.MeterId}/readings");
        var status = await client.GetOkAsync($"/api/meters/{rig.MeterId}/device-status");
        var command = await client.GetOkAsync($"/api/commands/{commandId}");
        return JsonSerializer.Serialize(new { readings = readings.GetArrayLength(), status = status.GetRawText(), state = command.Str("state"), detail = command.GetProperty("detail").GetString() });
    }
}
