using CsCheck;
using Dapper;
using Prepaid.Api.Ledger;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// R9b as a property over the real ingest path and a real database (SQLite file, PostgreSQL): whatever a gateway sends — absurd registers,
/// timestamps at the ends of time, meters on tariffs that start later, accounts with tier usage years back, rollovers,
/// period registers that disagree with the total — ingest answers every reading with a status, never throws, and the
/// ledger's invariants (R22) hold; so does an operator's decision on whatever got held.
/// </summary>
public class IngestRobustnessPropertyTests
{
    /// <summary>The database each run of the property gets: a SQLite file here, a PostgreSQL database in the subclass.</summary>
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    /// <summary>Skips the test, saying why, where its database is not there (before the property, which would report a skip as a failure).</summary>
    protected virtual void SkipUnlessAvailable() { }

    static readonly DateTimeOffset Now = new(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8));
    static readonly string[] Statuses = ["baseline", "billed", "duplicate", "late", "suspect", "rejected"];

    const int Meters = 6;

    sealed record Site(IngestSite Ingest, long[] MeterIds);

    static async Task<Site> SiteAsync(Prepaid.Api.Data.Db db)
    {
        var site = await IngestSite.CreateAsync(db, Now);
        var tiered = await site.TariffAsync("""
            [{"effectiveFrom":"2019-01-01T00:00:00+08:00","kind":"tiered","period":"month",
              "tiers":[{"upTo":"10","price":"0.5000"},{"upTo":null,"price":"1.1000"}]}]
            """);
        var later = await site.TariffAsync("""[{"effectiveFrom":"2027-06-01T00:00:00+08:00","kind":"flat","price":"0.6000"}]""");
        var tou = await site.TariffAsync("""
            [{"effectiveFrom":"2020-01-01T00:00:00+08:00","kind":"tou","prices":{"sharp":"1.1012","peak":"0.9863","flat":"0.6853","valley":"0.3211"},
              "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"18:00","period":"peak"},{"from":"18:00","to":"00:00","period":"flat"}]}]
            """);
        long[] meters =
        [
            await site.MeterAsync("old"),                                                     // tiered, opened years back
            await site.MeterAsync("wrap", multiplier: "1000", registerMax: "1000"),           // CT meter that rolls over often
            await site.MeterAsync("later"),                                                   // on a tariff that starts next year
            await site.MeterAsync("periods"),                                                 // TOU with period registers
            await site.MeterAsync("loose"),                                                   // no account
            await site.MeterAsync("huge", ratedMaxPerHour: "100000000000", multiplier: "1000"), // R8 lets anything through
        ];
        var (oldAccount, _) = await site.AccountAsync(new DateTimeOffset(2019, 5, 1, 0, 0, 0, TimeSpan.FromHours(8)), (meters[0], tiered, false), (meters[1], tiered, false));
        await site.AccountAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)), (meters[2], later, false));
        await site.AccountAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)), (meters[3], tou, true), (meters[5], tou, true));
        await using var connection = await db.OpenAsync();
        foreach (var (key, quantity) in new[] { ("2019-05", "3"), ("2019", "3"), ("2021-02", "50"), ("2021", "50"), ("2025-12", "7"), ("2025", "7") })
            await connection.ExecuteAsync("INSERT INTO tier_usage (account_id, utility, period_key, quantity) VALUES (@oldAccount, 'electricity', @key, @quantity)",
                new { oldAccount, key, quantity });
        return new Site(site, meters);
    }

    static readonly Gen<DateTimeOffset> Instant = Gen.Frequency(
        (6, Gen.Int[-60 * 24 * 60, 2 * 24 * 60].Select(m => Now.AddMinutes(m))),
        (1, Gen.Long[DateTimeOffset.MinValue.UtcTicks, new DateTime(2019, 1, 1).Ticks].Select(t => new DateTimeOffset(t, TimeSpan.Zero))),
        (1, Gen.Long[new DateTime(2027, 1, 1).Ticks, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero))),
        (1, Gen.OneOf(Gen.Const(DateTimeOffset.MinValue), Gen.Const(DateTimeOffset.MaxValue))));

    static readonly Gen<decimal> Register = Gen.Frequency(
        (8, Gen.Long[0, 200_000].Select(c => c / 100m)),                          // ordinary
        (2, Gen.Long[99_900_000, 99_999_999].Select(c => c / 100m)),              // about to roll over at 10^6
        (2, Gen.Long[0, 100_000].Select(m => m / 1000m)),                         // just rolled over (and the CT meter's 1000)
        (1, Gen.Long[100_000_000_000, 999_999_999_999].Select(v => (decimal)v)),  // beyond the register's maximum
        (1, Gen.Long[1, long.MaxValue].Select(v => v * 1000m)),                   // beyond anything storable
        (1, Gen.Long[1, 1_000_000].Select(v => -v / 100m)),                       // negative
        (1, Gen.Long[1, 1_000_000_000].Select(v => v / 100_000m)));               // finer than a thousandth

    static readonly Gen<decimal> Ordinary = Gen.Long[0, 200_000].Select(c => c / 100m);

    static readonly Gen<Registers> Registers = Gen.Frequency(
        (4, Register.Select(t => new Registers(t))),
        (1, Gen.Select(Register, Register, Register, Register, Register).Select(r => new Registers(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5))),
        // Period registers that add up to the total, or miss it by a few hundredths.
        (3, Gen.Select(Ordinary, Gen.Int[0, 100], Gen.Int[-3, 3]).Select(r => new Registers(r.Item1 + r.Item3 / 100m,
            decimal.Round(r.Item1 * r.Item2 / 100m, 2), r.Item1 - decimal.Round(r.Item1 * r.Item2 / 100m, 2), 0m, 0m))),
        (1, Gen.Select(Register, Register).Select(r => new Registers(r.Item1, r.Item2, null, r.Item2, null))));

    static readonly Gen<(int Meter, DateTimeOffset At, Registers Registers)[]> Batch =
        Gen.Select(Gen.Int[0, Meters - 1], Instant, Registers).Array[1, 12];

    [Fact]
    public void AnyBatch_GetsAStatusForEveryReading_AndKeepsTheLedgerWhole_R9b()
    {
        SkipUnlessAvailable();
        Gen.Select(Batch.Array[1, 4], Gen.Bool.Array[Meters]).Sample(t =>
        {
            var (batches, accept) = t;
            Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var site = await SiteAsync(db.Db);
                foreach (var batch in batches)
                {
                    // Each batch also carries a repeat of its first reading: duplicates and conflicts are data too.
                    var inputs = batch.Append(batch[0]).Select(r => new ReadingInput(site.MeterIds[r.Meter], r.At, r.Registers)).ToList();
                    var outcomes = await site.Ingest.Ingestor.IngestAsync(inputs);
                    Assert.Equal(inputs.Count, outcomes.Length);
                    Assert.All(outcomes, o => Assert.Contains(o.Status, Statuses));
                }
                for (var m = 0; m < Meters; m++)
                    if (await site.Ingest.Ingestor.ResolveHeldAsync(site.MeterIds[m], accept[m], "property") is { } resolved)
                        Assert.All(resolved, o => Assert.Contains(o.Status, Statuses));
                var check = await LedgerCheck.RunAsync(db.Db);
                Assert.True(check.All(c => c.Holds), string.Join("; ", check.Where(c => !c.Holds).Select(c => $"{c.Name}: {c.Detail}")));
                return 0;
            });
        }, iter: 60);
    }

    /// <summary>CsCheck's Sample takes a synchronous body; the database work is async.</summary>
    static T Await<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}

/// <summary>The same property on PostgreSQL, each run in a database of its own; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresIngestRobustnessPropertyTests : IngestRobustnessPropertyTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
