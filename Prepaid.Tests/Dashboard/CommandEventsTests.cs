using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Cluster;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using CommandChange = Prepaid.Api.Devices.CommandChange;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Dashboard;

/// <summary>
/// The command events the dashboard pushes come from <c>command_events</c>: written in the transaction of the state change
/// they report (none for a change that is refused or rolled back), and read by a cursor that takes every id once even
/// when ids commit out of order, as they do on PostgreSQL.
/// </summary>
public class CommandEventsTests
{
    static readonly long Wait = (long)CommandEventFollower.HoleWait.TotalMilliseconds;

    [Fact]
    public void Cursor_IdsVisibleOutOfOrder_EachTakenOnce_AndTheMarkWaitsForTheHole()
    {
        var cursor = new EventCursor(CommandEventFollower.HoleWait);
        cursor.Start(10);
        Assert.Equal([12L], cursor.Take([12], 0)); // 11 is taken but not committed yet
        Assert.Equal(10, cursor.Mark);
        Assert.Empty(cursor.Take([12], 100)); // read again from the mark: 12 is not taken twice
        Assert.Equal([11L, 13L], cursor.Take([11, 12, 13], 200));
        Assert.Equal(13, cursor.Mark);
        Assert.Equal(0, cursor.Remembered);
    }

    [Fact]
    public void Cursor_AHoleNothingFills_IsPassedOnceItHasWaited()
    {
        var cursor = new EventCursor(CommandEventFollower.HoleWait);
        cursor.Start(0);
        Assert.Equal([1L, 3L], cursor.Take([1, 3], 0)); // 2 rolled back
        Assert.Equal(1, cursor.Mark);
        Assert.Empty(cursor.Take([3], Wait - 1));
        Assert.Equal(1, cursor.Mark);
        Assert.Empty(cursor.Take([3], Wait));
        Assert.Equal(3, cursor.Mark);
        Assert.Equal(0, cursor.Remembered);
        Assert.Equal([4L], cursor.Take([4], Wait + 1));
    }

    static async Task<(long SiteId, long MeterId, long CommandId)> SeedAsync(Db db, string serial = "E-1")
    {
        await using var c = await db.OpenAsync();
        var site = await c.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('s', 'Asia/Shanghai', 0) RETURNING id");
        var meter = await c.ExecuteScalarAsync<long>("""
            INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms)
            VALUES (@site, @serial, 'electricity', '1', '99999999', '100', '0.01', 0) RETURNING id
            """, new { site, serial });
        var command = await c.ExecuteScalarAsync<long>("""
            INSERT INTO device_commands (meter_id, kind, source, state, attempts, next_attempt_at_ms, expires_at_ms, created_at_ms, updated_at_ms)
            VALUES (@meter, 'trip', 'operator', 'requested', 0, 0, 9999999999999, 0, 0) RETURNING id
            """, new { meter });
        return (site, meter, command);
    }

    static async Task<List<CommandEventRow>> EventsAsync(Db db)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<CommandEventRow>("SELECT id, site_id, meter_id, command_id, kind, state, error, batch_id, at_ms FROM command_events ORDER BY id")];
    }

    [Fact]
    public async Task StateWriter_RecordsOneEventPerAppliedChange_AndNoneForARefusedOne()
    {
        await using var test = await SqliteTestDatabase.CreateAsync();
        var (site, meter, command) = await SeedAsync(test.Db);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-02T09:00:00+08:00"));
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        var leases = new NodeLeases(test.Db, new ClusterOptions(), time, NullLogger<NodeLeases>.Instance);
        var writer = new CommandStateWriter(test.Db, new MeterStatusWriter(test.Db, events, time), events, leases, time);

        writer.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Sent, 1, 0, "on the wire", null, ExpectedState: CommandKinds.Requested));
        await writer.FlushAsync();
        // From a state it no longer has: nothing written, so nothing to tell.
        writer.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Failed, 1, 0, null, "late", ExpectedState: CommandKinds.Requested));
        await writer.FlushAsync();
        writer.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Confirmed, 1, 0, null, null, ExpectedState: CommandKinds.Sent));
        await writer.FlushAsync();

        var rows = await EventsAsync(test.Db);
        Assert.Equal([CommandKinds.Sent, CommandKinds.Confirmed], rows.Select(r => r.State));
        Assert.All(rows, r => Assert.Equal((site, meter, command, "trip"), (r.SiteId, r.MeterId, r.CommandId, r.Kind)));
        Assert.Equal("on the wire", rows[0].Error); // the detail when there is no error, as the dashboard shows it
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), rows[1].AtMs);
    }

    [Fact]
    public async Task ManyChangesInOneTransaction_EachCarriesItsMetersSite_InOrder()
    {
        await using var test = await SqliteTestDatabase.CreateAsync();
        await ManyChangesAsync(test);
    }

    [Fact]
    public async Task Postgres_ManyChangesInOneTransaction_EachCarriesItsMetersSite_InOrder()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await ManyChangesAsync(test);
    }

    static async Task ManyChangesAsync(TestDatabase test)
    {
        var (siteA, meterA, command) = await SeedAsync(test.Db);
        var (siteB, meterB, _) = await SeedAsync(test.Db, "E-2");
        var at = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
        // More changes than one multi-row statement holds, alternating between the two sites, and one of a meter that is gone.
        var changes = Enumerable.Range(0, 120)
            .Select(i => new CommandChange(command, i % 2 == 0 ? meterA : meterB, "trip", i % 3 == 0 ? CommandKinds.Failed : CommandKinds.Sent, $"d{i}", null, null, at.AddSeconds(i)))
            .Append(new CommandChange(command, 999_999, "trip", CommandKinds.Sent, null, null, null, at))
            .ToList();
        await using (var c = await test.Db.OpenAsync())
        await using (var tx = test.Db.Dialect.BeginWrite(c))
        {
            await CommandEvents.WriteAsync(c, tx, test.Db.Dialect, changes);
            await tx.CommitAsync();
        }

        var rows = await EventsAsync(test.Db);
        Assert.Equal(120, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? (siteA, meterA) : (siteB, meterB), (rows[i].SiteId, rows[i].MeterId));
            Assert.Equal($"d{i}", rows[i].Error);
            Assert.Equal(at.AddSeconds(i).ToUnixTimeMilliseconds(), rows[i].AtMs);
        }
    }

    [Fact]
    public async Task RolledBackStateChange_LeavesNoEvent()
    {
        await using var test = await SqliteTestDatabase.CreateAsync();
        var (_, meter, command) = await SeedAsync(test.Db);
        var at = DateTimeOffset.Parse("2026-11-02T09:00:00+08:00");
        await using (var c = await test.Db.OpenAsync())
        await using (var tx = test.Db.Dialect.BeginWrite(c))
        {
            await c.ExecuteAsync("UPDATE device_commands SET state = 'confirmed' WHERE id = @command", new { command }, tx);
            await CommandEvents.WriteAsync(c, tx, test.Db.Dialect, [new CommandChange(command, meter, "trip", CommandKinds.Confirmed, null, null, null, at)]);
            Assert.Single(await c.QueryAsync<long>("SELECT id FROM command_events", transaction: tx));
            await tx.RollbackAsync();
        }
        Assert.Empty(await EventsAsync(test.Db));
        await using var check = await test.Db.OpenAsync();
        Assert.Equal(CommandKinds.Requested, await check.ExecuteScalarAsync<string>("SELECT state FROM device_commands WHERE id = @command", new { command }));
    }

    [Fact]
    public async Task Postgres_EventsCommittingOutOfIdOrder_ReachTheFollowerOnceEach()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (_, meter, command) = await SeedAsync(test.Db);
        var at = DateTimeOffset.UtcNow;
        var cursor = new EventCursor(CommandEventFollower.HoleWait);
        await using var reader = await test.Db.OpenAsync();
        cursor.Start(await reader.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM command_events"));

        // Two writers without the ledger lock between them: the first takes the lower id and commits last.
        await using var first = await test.Db.OpenAsync();
        await using var second = await test.Db.OpenAsync();
        await using var tx1 = await first.BeginTransactionAsync();
        await CommandEvents.WriteAsync(first, tx1, test.Db.Dialect, [new CommandChange(command, meter, "trip", CommandKinds.Sent, null, null, null, at)]);
        await using var tx2 = await second.BeginTransactionAsync();
        await CommandEvents.WriteAsync(second, tx2, test.Db.Dialect, [new CommandChange(command, meter, "trip", CommandKinds.Confirmed, null, null, null, at)]);
        await tx2.CommitAsync();

        var heard = new List<CommandEventRow>();
        heard.AddRange(await CommandEventFollower.NextAsync(reader, cursor, 0));
        Assert.Equal([CommandKinds.Confirmed], heard.Select(r => r.State));
        await tx1.CommitAsync();
        heard.AddRange(await CommandEventFollower.NextAsync(reader, cursor, 100));
        heard.AddRange(await CommandEventFollower.NextAsync(reader, cursor, 200));

        Assert.Equal([CommandKinds.Confirmed, CommandKinds.Sent], heard.Select(r => r.State));
        Assert.True(heard[1].Id < heard[0].Id, "the later commit has the lower id: a cursor at the highest id seen would have skipped it");
        Assert.Equal(heard.Max(r => r.Id), cursor.Mark);
        Assert.Empty(await CommandEventFollower.NextAsync(reader, cursor, Wait * 2));
    }
}
