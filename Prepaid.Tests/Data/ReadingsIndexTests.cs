using System.Data.Common;
using Dapper;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// readings' unique key, a meter and an instant (R9), indexed on SQLite by the block of 64 meters first
/// (db/sqlite/0026): the database itself still refuses a second reading of a meter at one instant, while meters of one
/// block share instants freely; and on SQLite a query that names the block reaches a meter's readings through that index.
/// </summary>
public class ReadingsIndexTests
{
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    protected virtual void SkipUnlessAvailable() { }

    [Fact]
    public async Task AMetersInstant_IsUniqueInTheDatabase_MetersOfOneBlockShareInstants_AndTheBlockIsTheMetersOwn_R9()
    {
        SkipUnlessAvailable();
        await using var db = await CreateDatabaseAsync();
        var opened = IngestOrderPropertyTests.Opened;
        var site = await IngestSite.CreateAsync(db.Db, opened.AddDays(10));
        var meters = new List<long>();
        for (var i = 0; i < 70; i++) meters.Add(await site.MeterAsync($"M{i:00}")); // two blocks at least
        var at = opened.AddHours(1);
        var outcomes = await site.Ingestor.IngestAsync(meters.Select(m => new ReadingInput(m, at, new Registers(1m))).ToList());
        Assert.All(outcomes, o => Assert.Equal("baseline", o.Status));

        await using var connection = await db.Db.OpenAsync();
        Assert.Equal(meters.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM readings WHERE at_ms = @atMs", new { atMs = at.ToUnixTimeMilliseconds() }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM readings WHERE meter_block <> meter_id / 64"));
        var error = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "INSERT INTO readings (meter_id, at_ms, total_milli, status, received_at_ms) VALUES (@meterId, @atMs, 2000, 'baseline', 0)",
            new { meterId = meters[37], atMs = at.ToUnixTimeMilliseconds() }));
        Assert.True(db.Db.Dialect.IsUniqueViolation(error), error.Message);
    }
}

/// <summary>The same on PostgreSQL (which keeps its index on meter and instant); skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresReadingsIndexTests : ReadingsIndexTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}

/// <summary>
/// SQLite's planner on readings: a meter's readings are found through the block index when the query names the block
/// (a column: an indexed expression meter_id / 64 would be rewritten away by the meter_id = @m beside it).
/// </summary>
public class SqliteReadingsPlanTests
{
    [Theory]
    [InlineData("SELECT id FROM readings WHERE meter_block = @m / 64 AND meter_id = @m AND at_ms = @a")]
    [InlineData("SELECT MAX(at_ms) FROM readings WHERE meter_block = @m / 64 AND meter_id = @m")]
    [InlineData("SELECT at_ms FROM readings WHERE meter_block = @m / 64 AND meter_id = @m AND at_ms >= @a ORDER BY at_ms")]
    [InlineData("SELECT m.id FROM meters m JOIN readings r ON r.meter_block = m.id / 64 AND r.meter_id = m.id WHERE m.id = @m AND r.at_ms = @a")]
    public async Task OnSqlite_AQueryThatNamesTheBlock_SearchesTheBlockIndex(string sql)
    {
        await using var db = await SqliteTestDatabase.CreateAsync();
        await using var connection = await db.Db.OpenAsync();
        var plan = string.Join("\n", (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql,
            new { m = 5L, a = 7L })).Select(r => r.Detail));
        Assert.Contains("SEARCH", plan);
        Assert.Contains("ux_readings_block_at_meter (meter_block=?", plan);
        Assert.DoesNotContain("SCAN r", plan);
        Assert.DoesNotContain("SCAN readings", plan);
    }
}
