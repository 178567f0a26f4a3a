using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Devices.NbIot;
using Prepaid.Fakes.NbIot;
using Prepaid.Devices.NbIot;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.NbIot;

/// <summary>NB-IoT meters through the fake IoTDA and CTWing platforms: reports become readings, commands wait at the
/// platform for the meter's next report and are confirmed by what that report shows.</summary>
public class NbIotPlatformTests
{
    internal sealed record Rig(DeviceApp App, HttpClient Client, FakeNbIotPlatform Platform, long MeterId, long GatewayId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    internal static async Task<Rig> RigAsync(NbIotPlatform platform, bool water, int? reportPeriodMinutes = null, int? offlineAfterReports = null)
    {
        FakeNbIotPlatform? fake = null;
        var app = new DeviceApp(s => s.AddHttpClient("nbiot")
            .ConfigurePrimaryHttpMessageHandler(() => fake!).SetHandlerLifetime(Timeout.InfiniteTimeSpan));
        fake = new FakeNbIotPlatform(app.Time) { IamAccount = ("ops", "pw", "acct") };
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var protocol = platform == NbIotPlatform.Iotda ? "iotda" : "ctwing";
        var gateway = await client.PostOkAsync("/api/gateways", new
        {
            siteId = site.SiteId, name = "nb", protocol, host = $"https://{protocol}.fake",
            settings = new
            {
                projectId = "p1", iamUrl = "https://iam.fake", iamDomain = "acct", iamUser = "ops", iamPassword = "pw", iamProject = "cn-north-4",
                appKey = "k", appSecret = "s", masterKey = "m", productId = "15114816", callbackToken = "cb-secret",
            },
        });
        fake.PushTo(platform, client, $"/api/nbiot/{gateway.Id()}/{protocol}?token=cb-secret");
        var tariff = await site.FlatTariffAsync("2.0000", water ? "water" : "electricity");
        var meterId = await site.MeterAsync("NB-1", water ? "water" : "electricity");
        var connect = await client.PutAsJsonAsync($"/api/meters/{meterId}/connection",
            new { gatewayId = gateway.Id(), address = "dev-1", profile = water ? "nbiot-water" : "nbiot-electric", reportPeriodMinutes, offlineAfterReports });
        Assert.True(connect.IsSuccessStatusCode, await connect.Content.ReadAsStringAsync());
        fake.Add("dev-1", platform, water);
        var tenant = await site.TenantAsync();
        var account = await site.AccountAsync(tenant, [(meterId, tariff, "0")], app.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz"));
        await site.TopUpAsync(account.Id(), "100.00", "k1");
        return new Rig(app, client, fake, meterId, gateway.Id());
    }

    async Task<JsonElement> CommandAsync(Rig rig, long id) => await rig.Client.GetOkAsync($"/api/commands/{id}");

    [Fact]
    public async Task Iotda_ValveClose_WaitsForTheNextReport_ThenConfirmedByIt()
    {
        await using var rig = await RigAsync(NbIotPlatform.Iotda, water: true);
        var ct = TestContext.Current.CancellationToken;

        rig.App.Time.Advance(TimeSpan.FromHours(1));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 1_500);          // 1.5 m³ reported
        var readings = await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}/readings");
        Assert.Equal("1.5", readings[0].GetProperty("registers").Str("total"));
        Assert.Equal("billed", readings[0].Str("status"));

        var created = await rig.Client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "valveClose" });
        var id = created.GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(ct);
        var waiting = await CommandAsync(rig, id);
        Assert.Equal("sent", waiting.Str("state"));
        Assert.Equal(NbIotCommandSender.Waiting, waiting.Str("detail"));
        Assert.Equal(1, rig.Platform.CachedCount);

        rig.App.Time.Advance(TimeSpan.FromHours(6));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 0);
        var done = await CommandAsync(rig, id);
        Assert.Equal("confirmed", done.Str("state"));
        Assert.Equal("open", (await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}")).Str("relay"));   // supply cut
    }

    [Fact]
    public async Task Iotda_MeterThatNeverWakes_CommandExpires()
    {
        await using var rig = await RigAsync(NbIotPlatform.Iotda, water: true);
        var ct = TestContext.Current.CancellationToken;
        var id = (await rig.Client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "valveClose" })).GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(ct);
        rig.App.Time.Advance(TimeSpan.FromHours(25));
        var client = await rig.App.AdminAsync();
        await rig.App.Dispatcher.RunOnceAsync(ct);
        Assert.Equal("expired", (await client.GetOkAsync($"/api/commands/{id}")).Str("state"));
    }

    [Fact]
    public async Task Ctwing_Trip_ConfirmedByTheDataReport_AndTheCommandResponseChangesNothing()
    {
        await using var rig = await RigAsync(NbIotPlatform.Ctwing, water: false);
        var ct = TestContext.Current.CancellationToken;
        rig.App.Time.Advance(TimeSpan.FromHours(1));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 2_000);
        var id = (await rig.Client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(ct);
        Assert.Equal("sent", (await CommandAsync(rig, id)).Str("state"));

        rig.App.Time.Advance(TimeSpan.FromHours(2));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 3_000);          // used 3 kWh while asleep, then took the trip
        Assert.Equal("confirmed", (await CommandAsync(rig, id)).Str("state"));
        rig.App.Time.Advance(TimeSpan.FromHours(2));
        await rig.Platform.WakeAsync("dev-1", consumedMilli: 4_000);          // cut off: nothing more is metered
        var readings = await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}/readings");
        Assert.Equal("5", readings[0].GetProperty("registers").Str("total"));
        Assert.Equal("5", readings[1].GetProperty("registers").Str("total"));
    }

    [Fact]
    public async Task Callback_WithoutTheGatewaysToken_IsRefused()
    {
        await using var rig = await RigAsync(NbIotPlatform.Ctwing, water: false);
        var gatewayRow = (await rig.Client.GetOkAsync("/api/gateways")).EnumerateArray().Single();
        // CTWing's command answer and ttl unit are not checked against its documentation: the gateway says so.
        Assert.Contains(gatewayRow.GetProperty("unverified").EnumerateArray(), n => n.GetString()!.Contains("ttl", StringComparison.Ordinal));
        var shown = gatewayRow.GetProperty("settings");
        Assert.Equal("***", shown.Str("callbackToken"));                    // stored for checking pushes, never echoed
        Assert.Equal("15114816", shown.Str("productId"));
        var anonymous = rig.App.Host.CreateClient();
        // Wrong, empty, a prefix, one character off, one too many: all refused (compared as digests, in constant time).
        foreach (var query in new[] { "?token=wrong", "?token=", "", "?token=cb-secre", "?token=cb-secreT", "?token=cb-secret0" })
        {
            var response = await anonymous.PostAsJsonAsync($"/api/nbiot/{rig.GatewayId}/ctwing{query}", new { messageType = "dataReport", deviceId = "dev-1" });
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Unauthorized, $"{query}: {(int)response.StatusCode}");
        }
        var right = await anonymous.PostAsJsonAsync($"/api/nbiot/{rig.GatewayId}/ctwing?token=cb-secret", new { messageType = "dataReport", deviceId = "dev-1" });
        Assert.NotEqual(System.Net.HttpStatusCode.Unauthorized, right.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("""{"resource":"device.property","notify_data":{"header":{"device_id":"x"},"body":{"services":[{"properties":{"total":"-1"}}]}}}""")]
    [InlineData("""{"resource":"device.command.status","notify_data":{"body":{}}}""")]
    public void Iotda_MalformedPushes_AreIgnoredWithAReason_NeverThrow(string body)
    {
        var parsed = NbIotPayloads.ParseIotda(body);
        Assert.True(parsed.Ignored is not null || parsed.Report?.Snapshot is null);
    }

    [Fact]
    public void Ctwing_TransparentCjt188Frame_IsDecodedWithOurCodec()
    {
        // protocols-notes §3.4's reply: flow bytes 10 00 10 00, BCD least significant first = 100010 × 0.01 m³ = 1000.10 m³.
        var frame = Prepaid.Devices.Codec.Hex.Parse("68 10 12 00 00 00 00 00 00 81 16 90 1F 00 10 00 10 00 2C 10 00 10 00 2C 00 00 00 00 00 00 00 00 FF 67 16");
        var body = JsonSerializer.Serialize(new { messageType = "dataReport", deviceId = "d", timestamp = 1650554828842, payload = new { APPdata = Convert.ToBase64String(frame) } });
        var parsed = NbIotPayloads.ParseCtwing(body);
        Assert.NotNull(parsed.Report?.Snapshot);
        Assert.Equal(1_000_100L, parsed.Report!.Snapshot!.TotalMilli);   // 1000.100 m³ in litres
    }

    [Fact]
    public void CtwingSignature_IsHmacSha1OfTheSdksCanonicalText()
    {
        var sig = NbIotPlatformClient.CtwingSignature("key", "secret", "1650554828842",
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["MasterKey"] = "m" }, "{}");
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            "secret"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("application:key\ntimestamp:1650554828842\nMasterKey:m\n{}\n")));
        Assert.Equal(expected, sig);
    }
}
