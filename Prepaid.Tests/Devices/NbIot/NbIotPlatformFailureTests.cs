using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Devices.NbIot;
using Prepaid.Fakes.NbIot;
using Prepaid.Devices.NbIot;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.NbIot;

/// <summary>
/// A carrier platform that hangs (a real socket that accepts and never answers) or is down (a closed port) is a failed
/// attempt of that one command: the lane that carries every NB-IoT command goes on with the next meter.
/// </summary>
public class NbIotPlatformFailureTests
{
    /// <summary>Hosts ending in .fake go to the fake platform, everything else over real sockets.</summary>
    sealed class ByHost(FakeNbIotPlatform fake) : HttpMessageHandler
    {
        readonly HttpMessageInvoker toFake = new(fake, disposeHandler: false);
        readonly HttpMessageInvoker toNetwork = new(new SocketsHttpHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            (request.RequestUri!.Host.EndsWith(".fake", StringComparison.Ordinal) ? toFake : toNetwork).SendAsync(request, ct);
    }

    /// <summary>Accepts connections and reads nothing, answers nothing: HttpClient gives up on its timeout.</summary>
    sealed class SilentPlatform : IAsyncDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        readonly List<TcpClient> held = new();
        readonly CancellationTokenSource stop = new();
        readonly Task accepting;

        public SilentPlatform()
        {
            listener.Start();
            accepting = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var client = await listener.AcceptTcpClientAsync(stop.Token);
                        lock (held) held.Add(client);
                    }
                }
                catch (OperationCanceledException) { }
            });
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public async ValueTask DisposeAsync()
        {
            stop.Cancel();
            await accepting;
            listener.Stop();
            lock (held) foreach (var c in held) c.Dispose();
        }
    }

    static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    sealed record Rig(DeviceApp App, HttpClient Client, FakeNbIotPlatform Platform, SiteBuilder Site) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();

        public async Task<long> NbMeterAsync(string serial, string host, string deviceId)
        {
            var gateway = await Client.PostOkAsync("/api/gateways", new
            {
                siteId = Site.SiteId, name = $"nb-{serial}", protocol = "iotda", host,
                settings = new { projectId = "p1", iamUrl = "https://iam.fake", iamDomain = "acct", iamUser = "ops", iamPassword = "pw", callbackToken = "cb-secret" },
            });
            var meterId = await Site.MeterAsync(serial);
            var connect = await Client.PutAsJsonAsync($"/api/meters/{meterId}/connection", new { gatewayId = gateway.Id(), address = deviceId, profile = "nbiot-electric" });
            Assert.True(connect.IsSuccessStatusCode, await connect.Content.ReadAsStringAsync());
            return meterId;
        }

        public async Task<long> TripAsync(long meterId) =>
            (await Client.PostOkAsync($"/api/meters/{meterId}/commands", new { kind = "trip" })).GetProperty("commandId").GetInt64();
    }

    static async Task<Rig> RigAsync()
    {
        FakeNbIotPlatform? fake = null;
        var app = new DeviceApp(s => s.AddHttpClient("nbiot", c => c.Timeout = TimeSpan.FromMilliseconds(300))
            .ConfigurePrimaryHttpMessageHandler(() => new ByHost(fake!)).SetHandlerLifetime(Timeout.InfiniteTimeSpan));
        fake = new FakeNbIotPlatform(app.Time);
        fake.Add("good-1", NbIotPlatform.Iotda);
        var client = await app.AdminAsync();
        return new Rig(app, client, fake, await new SiteBuilder(client).SiteAsync());
    }

    [Fact]
    public async Task PlatformThatHangs_IsAFailedAttempt_AndTheNextMetersCommandStillGoesOut()
    {
        await using var rig = await RigAsync();
        await using var silent = new SilentPlatform();
        var ct = TestContext.Current.CancellationToken;
        var hung = await rig.TripAsync(await rig.NbMeterAsync("NB-HANG", $"http://127.0.0.1:{silent.Port}", "hang-1"));
        var good = await rig.TripAsync(await rig.NbMeterAsync("NB-GOOD", "https://iotda.fake", "good-1"));

        await rig.App.Dispatcher.RunOnceAsync(ct);                   // must not throw: the timeout is this command's failure

        var first = await rig.Client.GetOkAsync($"/api/commands/{hung}");
        Assert.Equal("sent", first.Str("state"));
        Assert.Equal(1, first.GetProperty("attempts").GetInt32());
        Assert.Contains("timeout", first.Str("error"));
        var second = await rig.Client.GetOkAsync($"/api/commands/{good}");
        Assert.Equal(NbIotCommandSender.Waiting, second.Str("detail"));
        Assert.Equal(1, rig.Platform.CachedCount);

        for (var i = 0; i < 5; i++)
        {
            rig.App.Time.Advance(TimeSpan.FromMinutes(10));
            await rig.App.Dispatcher.RunOnceAsync(ct);
        }
        var last = await rig.Client.GetOkAsync($"/api/commands/{hung}");
        Assert.Equal("failed", last.Str("state"));
        Assert.Equal(5, last.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task PlatformThatIsDown_IsAFailedAttempt_AndTheNextMetersCommandStillGoesOut()
    {
        await using var rig = await RigAsync();
        var ct = TestContext.Current.CancellationToken;
        var down = await rig.TripAsync(await rig.NbMeterAsync("NB-DOWN", $"http://127.0.0.1:{ClosedPort()}", "down-1"));
        var good = await rig.TripAsync(await rig.NbMeterAsync("NB-GOOD", "https://iotda.fake", "good-1"));

        await rig.App.Dispatcher.RunOnceAsync(ct);

        var first = await rig.Client.GetOkAsync($"/api/commands/{down}");
        Assert.Equal(("sent", 1), (first.Str("state"), first.GetProperty("attempts").GetInt32()));
        Assert.Contains("did not take the command", first.Str("error"));
        Assert.Equal(NbIotCommandSender.Waiting, (await rig.Client.GetOkAsync($"/api/commands/{good}")).Str("detail"));
        Assert.Equal(1, rig.Platform.CachedCount);
    }
}
