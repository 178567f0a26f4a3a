using System.Text.Json;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>
/// A wallet runs dry from readings the poller takes off a simulated meter over real TCP; the engine asks for a trip,
/// the dispatcher trips the relay and confirms it by read-back, the register stops; a top-up closes it again.
/// The meter's energy runs on the test's fake clock, the wire on real loopback sockets.
/// </summary>
public class SwitchingEndToEndTests
{
    sealed record Rig(DeviceApp App, HttpClient FirstClient, SimulatedElectricMeter Meter, long MeterId, long AccountId, LoopbackServer Gateway) : IAsyncDisposable
    {
        /// <summary>Tokens expire on the fake clock too: sign in again after a long advance.</summary>
        public HttpClient Client { get; set; } = FirstClient;

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>A shop with a 10 kW load on a Modbus TCP gateway, a flat 1.00/kWh tariff and 5.00 in its wallet.</summary>
    static async Task<Rig> RigAsync(object? friendlyCutoff = null)
    {
        var app = new DeviceApp();
        var client = await app.AdminAsync();
        var meter = new SimulatedElectricMeter(1, "000000000001", app.Time, LoadProfile.Constant(10_000)) { RegisterStepWh = 10 };
        var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([meter])).Start();
        var site = await new SiteBuilder(client).SiteAsync(friendlyCutoff);
        var tariff = await site.FlatTariffAsync("1.0000");
        var meterId = await site.MeterAsync("E-1");
        var busId = await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port);
        await DeviceApp.ConnectAsync(client, meterId, busId, "1", "generic-modbus");
        var tenant = await site.TenantAsync();
        var account = await site.AccountAsync(tenant, [(meterId, tariff, "0")], ApiFormat(app.Time.GetUtcNow()), alarm1: "3.00", alarm2: "1.00");
        await site.TopUpAsync(account.Id(), "5.00", "first");
        return new Rig(app, client, meter, meterId, account.Id(), gateway);
    }

    static string ApiFormat(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz");

    static async Task<JsonElement> CommandsAsync(Rig rig) => await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}/commands");

    [Fact]
    public async Task WalletRunsDry_RelayTripsAndEnergyStops_TopUpClosesIt_AllConfirmedByReadBack()
    {
        await using var rig = await RigAsync();
        var ct = TestContext.Current.CancellationToken;

        await rig.App.Poller.SweepAllAsync(ct);                      // baseline-equal reading at 0
        rig.App.Time.Advance(TimeSpan.FromHours(1));                 // 10 kWh at 1.00 = 10.00 > 5.00
        await rig.App.Poller.SweepAllAsync(ct);
        Assert.Equal("arrears", (await rig.Client.GetOkAsync($"/api/accounts/{rig.AccountId}")).Str("state"));

        await rig.App.Dispatcher.RunOnceAsync(ct);
        var trip = (await CommandsAsync(rig))[0];
        Assert.Equal("trip", trip.Str("kind"));
        Assert.Equal("engine", trip.Str("source"));
        Assert.Equal("confirmed", trip.Str("state"));
        Assert.True(rig.Meter.RelayOpen);
        Assert.Equal("open", (await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}")).Str("relay"));

        var tripped = rig.Meter.ReadEnergies().TotalWh;
        rig.App.Time.Advance(TimeSpan.FromHours(2));
        await rig.App.Poller.SweepAllAsync(ct);
        Assert.Equal(tripped, rig.Meter.ReadEnergies().TotalWh);     // energy stopped
        Assert.Equal("10", (await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}/device-status")).Str("lastTotal"));
        Assert.Empty((await rig.Client.GetOkAsync($"/api/device-alarms?meterId={rig.MeterId}")).EnumerateArray());

        await new SiteBuilder(rig.Client).TopUpAsync(rig.AccountId, "50.00", "second");
        await rig.App.Dispatcher.RunOnceAsync(ct);
        var close = (await CommandsAsync(rig))[0];
        Assert.Equal("close", close.Str("kind"));
        Assert.Equal("confirmed", close.Str("state"));
        Assert.False(rig.Meter.RelayOpen);
        Assert.Equal("closed", (await rig.Client.GetOkAsync($"/api/meters/{rig.MeterId}")).Str("relay"));
        rig.App.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.True(rig.Meter.ReadEnergies().TotalWh > tripped);    // supply is back
    }

    [Fact]
    public async Task TripInsideFriendlyWindow_WaitsForItsEnd()
    {
        // Nights 22:00-07:00 are friendly. Start is Monday 08:00 Shanghai; the wallet runs dry at 23:30.
        await using var rig = await RigAsync(new { nightFrom = "22:00", nightTo = "07:00", weekends = false, holidays = Array.Empty<string>() });
        var ct = TestContext.Current.CancellationToken;
        await new SiteBuilder(rig.Client).TopUpAsync(rig.AccountId, "145.00", "more");  // 150.00 lasts 15 h at 10 kW
        await rig.App.Poller.SweepAllAsync(ct);
        rig.App.Time.Advance(TimeSpan.FromHours(15.5));              // 23:30, 155 kWh = 155.00 → 5.00 short
        rig.Client = await rig.App.AdminAsync();
        await rig.App.Poller.SweepAllAsync(ct);
        Assert.Equal("arrears", (await rig.Client.GetOkAsync($"/api/accounts/{rig.AccountId}")).Str("state"));

        await rig.App.Dispatcher.RunOnceAsync(ct);
        Assert.Empty((await CommandsAsync(rig)).EnumerateArray());   // the trip waits in the outbox
        Assert.False(rig.Meter.RelayOpen);

        rig.App.Time.Advance(TimeSpan.FromHours(7));                 // 06:30: still night
        await rig.App.Dispatcher.RunOnceAsync(ct);
        Assert.False(rig.Meter.RelayOpen);

        rig.App.Time.Advance(TimeSpan.FromMinutes(31));              // 07:01
        await rig.App.Dispatcher.RunOnceAsync(ct);
        Assert.True(rig.Meter.RelayOpen);
        Assert.Equal("confirmed", (await CommandsAsync(rig))[0].Str("state"));
    }
}
