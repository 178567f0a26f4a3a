using CsCheck;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// R9 as a property over the real ingest path and a real database (SQLite file, PostgreSQL): any shuffling and duplication of a delivered
/// batch, delivered any number of times, leaves every balance exactly where one clean delivery leaves it.
/// </summary>
public class IngestPropertyTests
{
    /// <summary>The database each run of the property gets: a SQLite file here, a PostgreSQL database in the subclass.</summary>
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    /// <summary>Skips the test, saying why, where its database is not there (before the property, which would report a skip as a failure).</summary>
    protected virtual void SkipUnlessAvailable() { }

    const int Meters = 3;

    static readonly Gen<(int Meter, int Minutes, int StepCenti)[]> Readings =
        Gen.Select(Gen.Int[0, Meters - 1], Gen.Int[5, 600], Gen.Int[0, 900]).Array[1, 12];

    static List<ReadingInput> Canonical(BillingSite site, (int Meter, int Minutes, int StepCenti)[] raw)
    {
        var list = new List<ReadingInput>();
        foreach (var group in raw.GroupBy(r => r.Meter))
        {
            var at = BillingSite.Opened;
            var total = 0m;
            foreach (var r in group)
            {
                at = at.AddMinutes(r.Minutes);
                total += r.StepCenti / 100m;
                list.Add(new ReadingInput(site.MeterIds[r.Meter], at, new Registers(total)));
            }
        }
        return list;
    }

    [Fact]
    public void ShuffledAndDuplicatedDeliveries_LeaveBalancesAsOneCleanDelivery_R9()
    {
        SkipUnlessAvailable();
        Gen.Select(Readings, Gen.Int.Array[12, 40], Gen.Int[1, 3]).Sample(t =>
        {
            var (raw, picks, deliveries) = t;
            long[] expected, actual;
            {
                using var clean = Run(async () =>
                {
                    await using var db = await CreateDatabaseAsync();
                    var site = await BillingSite.CreateAsync(db.Db, Meters);
                    await site.Ingestor.IngestAsync(Canonical(site, raw));
                    return await site.BalancesAsync();
                }, out expected);
            }
            {
                using var messy = Run(async () =>
                {
                    await using var db = await CreateDatabaseAsync();
                    var site = await BillingSite.CreateAsync(db.Db, Meters);
                    var canonical = Canonical(site, raw);
                    // Every reading at least once, in an order and with repeats chosen by the generator.
                    var messyBatch = canonical.Concat(picks.Select(p => canonical[(int)((uint)p % canonical.Count)]))
                        .Select((r, i) => (r, key: picks[i % picks.Length] ^ i)).OrderBy(x => x.key).Select(x => x.r).ToList();
                    for (var d = 0; d < deliveries; d++) await site.Ingestor.IngestAsync(messyBatch);
                    return await site.BalancesAsync();
                }, out actual);
            }
            Assert.Equal(expected, actual);
        }, iter: 25);
    }

    /// <summary>CsCheck's Sample takes a synchronous body; the database work is async.</summary>
    static IDisposable Run(Func<Task<long[]>> work, out long[] result)
    {
        result = work().GetAwaiter().GetResult();
        return new NoDispose();
    }

    sealed class NoDispose : IDisposable { public void Dispose() { } }
}

/// <summary>The same property on PostgreSQL, each run in a database of its own; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresIngestPropertyTests : IngestPropertyTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
