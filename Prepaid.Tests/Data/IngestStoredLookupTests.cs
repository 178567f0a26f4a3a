using Dapper;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// R9 where the database must be asked (a meter with no open account, or an instant not after the meter's newest): the
/// batch's look-ups are read in one query, and each reading is still judged against exactly what is stored at its instant.
/// </summary>
public class IngestStoredLookupTests
{
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    protected virtual void SkipUnlessAvailable() { }

    [Fact]
    public async Task UnassignedAndBilledMeters_RedeliveredInOneBatch_AreDuplicates_ADifferentValueIsRejected_NewOnesStored_R9()
    {
        SkipUnlessAvailable();
        await using var db = await CreateDatabaseAsync();
        var opened = IngestOrderPropertyTests.Opened;
        var site = await IngestSite.CreateAsync(db.Db, opened.AddDays(10));
        var tariff = await site.TariffAsync("""[{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"flat","price":"1.0000"}]""");
        var free = new[] { await site.MeterAsync("U1"), await site.MeterAsync("U2") };
        var billed = await site.MeterAsync("B1");
        await site.AccountAsync(opened, (billed, tariff, false));
        var ingestor = site.Ingestor;
        ReadingInput R(long meter, int hours, decimal total) => new(meter, opened.AddHours(hours), new Registers(total));

        var first = await ingestor.IngestAsync([R(free[0], 1, 1m), R(free[0], 2, 2m), R(free[1], 1, 5m), R(billed, 1, 1m), R(billed, 2, 3m)]);
        Assert.Equal(["baseline", "baseline", "baseline", "billed", "billed"], first.Select(o => o.Status));

        var again = await ingestor.IngestAsync([
            R(free[0], 1, 1m), R(free[0], 2, 2.5m), R(free[1], 1, 5m), R(free[1], 3, 6m), R(billed, 1, 1m), R(billed, 2, 3.5m), R(billed, 3, 4m)]);
        Assert.Equal(["duplicate", "rejected", "duplicate", "baseline", "duplicate", "rejected", "billed"], again.Select(o => o.Status));

        await using var connection = await db.Db.OpenAsync();
        // The five of the first batch, two new ones, and the account's opening reading.
        Assert.Equal(8, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM readings"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM reading_rejects"));
        // The billed meter's debits at 1.00 a kWh, 4 kWh from its opening zero: each delta once, none redelivered twice.
        Assert.Equal(400, await connection.ExecuteScalarAsync<long>("SELECT sum(amount_fen) FROM readings WHERE meter_id = @billed", new { billed }));
    }
}

/// <summary>The same on PostgreSQL; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresIngestStoredLookupTests : IngestStoredLookupTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
