using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Api.Readings;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;
using Prepaid.Engine;
using Prepaid.Tests.Devices.Support;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>The poller's group commit: lanes that finish together are written together, and one bad lane fails alone.</summary>
public class PollWritesTests
{
    [Fact]
    public async Task LanesWrittenTogether_OneLaneWithAnUnknownMeterFailsAlone_TheOthersAreStored_R9()
    {
        await using var app = new DeviceApp();
        var client = await app.AdminAsync();
        var site = await new SiteBuilder(client).SiteAsync();
        var first = await site.MeterAsync("E-1");
        var second = await site.MeterAsync("E-2");
        var db = app.Get<Db>();
        var writes = new PollWrites(app.Get<MeterStatusWriter>(), app.Get<ReadingIngestor>());
        var at = app.Time.GetUtcNow();

        // Hold the write gate so the first lane's write waits and the next two queue behind it and are joined.
        await db.WriteGate.WaitAsync(TestContext.Current.CancellationToken);
        var blocking = writes.WriteAsync(Lane(first, at, 1000));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var bad = writes.WriteAsync(Lane(999_999, at, 1000, outcomes: false));
        var good = writes.WriteAsync(Lane(second, at, 2000));
        db.WriteGate.Release();

        await blocking;
        await Assert.ThrowsAsync<ArgumentException>(() => bad);
        await good;
        await using var connection = await db.OpenAsync(TestContext.Current.CancellationToken);
        var stored = (await connection.QueryAsync<(long MeterId, long TotalMilli)>("SELECT meter_id, total_milli FROM readings ORDER BY meter_id")).ToList();
        Assert.Equal([(first, 1_000_000L), (second, 2_000_000L)], stored);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_status WHERE online = 1"));
    }

    static LaneResult Lane(long meterId, DateTimeOffset at, decimal total, bool outcomes = true)
    {
        var meter = new ConnectedMeter(meterId, 1, 1, "1", "generic-modbus", "0.01");
        var snapshot = new MeterSnapshot((long)(total * 1000), null, null);
        return new LaneResult(outcomes ? [new PollOutcome(meter, DeviceResult<MeterSnapshot>.Ok(snapshot))] : [], 3,
            [new ReadingInput(meterId, at, new Registers(total))]);
    }
}
