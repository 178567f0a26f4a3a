using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>
/// The meter status a sweep's answers leave: every answered meter's row holds its own register, time and switch
/// read-back although all answers are written by one statement run for all of them, and a meter that appears twice in one
/// call ends as its later outcome says. On SQLite here, on PostgreSQL (one UPDATE from arrays) below.
/// </summary>
public class MeterStatusWriterTests
{
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    protected virtual void SkipUnlessAvailable() { }

    [Fact]
    public async Task AnswersOfSeveralMeters_InOneCall_EachRowHoldsItsOwnRegisterTimeAndSwitch_RelayStateFollows_R16a()
    {
        SkipUnlessAvailable();
        await using var database = await CreateDatabaseAsync();
        var db = database.Db;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var writer = new MeterStatusWriter(db, new DeviceEventBus(NullLogger<DeviceEventBus>.Instance), time);
        var ids = await MetersAsync(db, 3);
        var t1 = time.GetUtcNow().ToUnixTimeMilliseconds();

        // First call: no status rows yet. Meter 0 closed, meter 1 open (first seen), meter 2 tells nothing of its switch.
        await writer.RecordAsync([Answer(ids[0], 1_000, false), Answer(ids[1], 2_000, true), Answer(ids[2], 3_000, null)], 3);
        time.Advance(TimeSpan.FromMinutes(1));
        var t2 = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Second call: meter 1 still open, its register one step (10 Wh at 0.01 kWh) on: the open baseline stays; meter 0 opens.
        await writer.RecordAsync([Answer(ids[0], 1_500, true), Answer(ids[1], 2_010, true), Answer(ids[2], 3_700, null)], 3);

        var rows = await RowsAsync(db, ids);
        Assert.Equal(new StatusRow(ids[0], 1, 0, t2, 1_500, 1, t2, 1_500), rows[0]);
        Assert.Equal(new StatusRow(ids[1], 1, 0, t2, 2_010, 1, t1, 2_000), rows[1]);
        Assert.Equal(new StatusRow(ids[2], 1, 0, t2, 3_700, null, null, null), rows[2]);
        await using var connection = await db.OpenAsync();
        var relays = (await connection.QueryAsync<string>("SELECT relay_state FROM meters WHERE id IN (@a, @b) ORDER BY id", new { a = ids[0], b = ids[1] })).ToList();
        Assert.Equal(["open", "open"], relays);
    }

    [Fact]
    public async Task MeterTwiceInOneCall_EndsAsItsLaterOutcomeSays_AndItsRowIsInsertedOnce()
    {
        SkipUnlessAvailable();
        await using var database = await CreateDatabaseAsync();
        var db = database.Db;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var alarms = new List<DeviceAlarmChange>();
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        events.AlarmChanged += alarms.Add;
        var writer = new MeterStatusWriter(db, events, time);
        var ids = await MetersAsync(db, 2);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        // Meter 0 has no row yet: answered, then silent. Meter 1: silent, then answered. Offline after one miss.
        await writer.RecordAsync([Answer(ids[0], 1_000, false), Answer(ids[1], 2_000, false)], 1);
        await writer.RecordAsync([Missed(ids[1]), Answer(ids[1], 2_100, false)], 1);
        var fresh = (await MetersAsync(db, 1))[0];
        await writer.RecordAsync([Answer(fresh, 5_000, false), Missed(fresh)], 1);

        var rows = await RowsAsync(db, [ids[1], fresh]);
        Assert.Equal(new StatusRow(ids[1], 1, 0, now, 2_100, 0, null, null), rows[0]);
        Assert.Equal(new StatusRow(fresh, 0, 1, now, 5_000, 0, null, null), rows[1]);
        // What the dashboard hears of it: meter 1 offline and back within the call, the fresh meter offline.
        Assert.Equal([(ids[1], true), (ids[1], false), (fresh, true)], alarms.Select(a => (a.MeterId, a.Raised)).ToList());
        Assert.All(alarms, a => Assert.Equal("offline", a.Kind));
    }

    [Fact]
    public async Task OpenRelayWhoseRegisterRises_RaisesOneRelayFailure_ClosedClearsIt_OtherMetersAlarmsUntouched_R16a()
    {
        SkipUnlessAvailable();
        await using var database = await CreateDatabaseAsync();
        var db = database.Db;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
        var alarms = new List<DeviceAlarmChange>();
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        events.AlarmChanged += alarms.Add;
        var writer = new MeterStatusWriter(db, events, time);
        var ids = await MetersAsync(db, 2);

        // Meter 1 has an open relay failure of its own and is not polled here: nothing of this call may touch it.
        await writer.RecordAsync([Answer(ids[1], 5_000, true)], 3);
        await writer.RecordAsync([Answer(ids[1], 5_100, true)], 3);
        alarms.Clear();
        await writer.RecordAsync([Answer(ids[0], 1_000, true)], 3); // first seen open: the baseline
        await writer.RecordAsync([Answer(ids[0], 1_020, true)], 3); // two steps on: a failure
        await writer.RecordAsync([Answer(ids[0], 1_040, true)], 3); // still open, still rising: already raised
        await writer.RecordAsync([Answer(ids[0], 1_040, false)], 3); // closed: cleared

        Assert.Equal([(ids[0], "relayFailure", true), (ids[0], "relayFailure", false)], alarms.Select(a => (a.MeterId, a.Kind, a.Raised)).ToList());
        await using var connection = await db.OpenAsync();
        var open = (await connection.QueryAsync<long>("SELECT meter_id FROM device_alarms WHERE kind = 'relayFailure' AND cleared_at_ms IS NULL")).ToList();
        Assert.Equal([ids[1]], open);
    }

    static PollOutcome Answer(long meterId, long totalMilli, bool? open) =>
        new(Meter(meterId), DeviceResult<MeterSnapshot>.Ok(new MeterSnapshot(totalMilli, null, open)));

    static PollOutcome Missed(long meterId) => new(Meter(meterId), DeviceResult<MeterSnapshot>.From(TransportReply.Failed(TransportStatus.Timeout, "no reply within the timeout")));

    static ConnectedMeter Meter(long meterId) => new(meterId, 1, 1, "1", "generic-modbus", "0.01");

    public sealed record StatusRow(long MeterId, long Online, long MissedPolls, long? LastSeenAtMs, long? LastTotalMilli, long? SwitchOpen,
        long? SwitchOpenSinceMs, long? SwitchOpenTotalMilli);

    static async Task<List<StatusRow>> RowsAsync(Db db, long[] ids)
    {
        await using var connection = await db.OpenAsync();
        var rows = await connection.QueryAsync<StatusRow>($"""
            SELECT meter_id, online, missed_polls, last_seen_at_ms, last_total_milli, switch_open, switch_open_since_ms, switch_open_total_milli
            FROM meter_status WHERE meter_id IN {db.Dialect.IdsFromJson("@ids")} ORDER BY meter_id
            """, new { ids = System.Text.Json.JsonSerializer.Serialize(ids) });
        return [.. rows];
    }

    static async Task<long[]> MetersAsync(Db db, int count)
    {
        await using var connection = await db.OpenAsync();
        var siteId = await connection.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('Status site', 'Asia/Shanghai', 0) RETURNING id");
        var ids = new long[count];
        for (var i = 0; i < count; i++)
            ids[i] = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, created_at_ms)
                VALUES (@siteId, @serial, 'electricity', '1', '1000000', '60', '0.01', 'closed', 0) RETURNING id
                """, new { siteId, serial = $"S{siteId}-{i}" });
        return ids;
    }
}

/// <summary>The same on PostgreSQL, where the answers are one UPDATE from arrays; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresMeterStatusWriterTests : MeterStatusWriterTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
