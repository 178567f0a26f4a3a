using System.Collections.Concurrent;
using Prepaid.Api.Devices;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>The seam the dashboard hub subscribes to: command state changes and batch progress, after they are stored.</summary>
public class DeviceEventsTests
{
    [Fact]
    public async Task Batch_RaisesCommandChangedPerMeter_AndBatchProgressUntilDone()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var ct = TestContext.Current.CancellationToken;
        var meters = Enumerable.Range(1, 3).Select(u => new SimulatedElectricMeter((byte)u, $"{u:D12}", app.Time, LoadProfile.Constant(500))).ToList();
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus(meters)).Start();
        var site = await new SiteBuilder(client).SiteAsync();
        var busId = await DeviceApp.BusAsync(client, site.SiteId, "modbusTcp", gateway.Port);
        var ids = new List<long>();
        foreach (var m in meters)
        {
            var id = await site.MeterAsync($"E-{m.UnitId}");
            await DeviceApp.ConnectAsync(client, id, busId, m.UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture), "generic-modbus");
            ids.Add(id);
        }
        var changes = new ConcurrentQueue<CommandChange>();
        var progress = new ConcurrentQueue<BatchProgress>();
        var events = app.Get<DeviceEventBus>();
        events.CommandChanged += changes.Enqueue;
        events.BatchProgressed += progress.Enqueue;

        var batchId = (await client.PostOkAsync("/api/batches", new { meterIds = ids, command = new { kind = "trip" } })).GetProperty("batchId").GetInt64();
        await app.Dispatcher.RunOnceAsync(ct);

        Assert.Equal(ids.Order(), changes.Where(c => c.State == "confirmed").Select(c => c.MeterId).Order());
        Assert.All(changes, c => Assert.Equal(batchId, c.BatchId));
        var last = progress.Last();
        Assert.Equal(3, last.Total);
        Assert.Equal(3, last.ByState["confirmed"]);
        Assert.All(meters, m => Assert.True(m.RelayOpen));
    }
}
