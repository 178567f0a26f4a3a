using CsCheck;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// R9a as a property over the real ingest path and a real database (SQLite file, PostgreSQL). The meters share state: two accounts with
/// several meters each on tiered tariffs (R13 counts an account's usage over all its meters), one of them changing
/// version mid-stream (R12), and a plausibility limit that some steps exceed (R8 holds and queues). Delivered one by
/// one in time order, as one batch in any order, or split into consecutive batches, the stream leaves the same ledger.
/// </summary>
public class IngestOrderPropertyTests
{
    /// <summary>The database each run of the property gets: a SQLite file here, a PostgreSQL database in the subclass.</summary>
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    /// <summary>Skips the test, saying why, where its database is not there (before the property, which would report a skip as a failure).</summary>
    protected virtual void SkipUnlessAvailable() { }

    internal static readonly DateTimeOffset Opened = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    const string MonthlyTiers = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tiered","period":"month",
          "tiers":[{"upTo":"5","price":"0.5000"},{"upTo":"12","price":"0.8000"},{"upTo":null,"price":"1.2000"}]}]
        """;

    // Flat until December, then tiered by year with other prices: the order across meters matters in both.
    const string FlatThenYearlyTiers = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"flat","price":"0.7000"},
         {"effectiveFrom":"2026-12-01T00:00:00+08:00","kind":"tiered","period":"year",
          "tiers":[{"upTo":"20","price":"0.3000"},{"upTo":null,"price":"0.9000"}]}]
        """;

    /// <summary>Meter index → account index: accounts 0 and 1 share nothing, each has meters on both tariffs.</summary>
    static readonly int[] AccountOf = [0, 0, 0, 1, 1];

    internal static async Task<(IngestSite Site, long[] Meters)> SiteAsync(Prepaid.Api.Data.Db db)
    {
        var site = await IngestSite.CreateAsync(db, Opened.AddDays(200));
        var monthly = await site.TariffAsync(MonthlyTiers);
        var yearly = await site.TariffAsync(FlatThenYearlyTiers);
        var meters = new long[AccountOf.Length];
        for (var i = 0; i < meters.Length; i++) meters[i] = await site.MeterAsync($"M{i}", ratedMaxPerHour: "20");
        long[] tariffOf = [monthly, yearly, monthly, yearly, monthly];
        for (var account = 0; account < 2; account++)
            await site.AccountAsync(Opened, Enumerable.Range(0, meters.Length).Where(i => AccountOf[i] == account)
                .Select(i => (meters[i], tariffOf[i], false)).ToArray());
        return (site, meters);
    }

    /// <summary>(meter, minutes after the previous reading of the stream, register step in hundredths).</summary>
    internal static readonly Gen<(int Meter, int Minutes, int StepCenti)[]> Stream =
        Gen.Select(Gen.Int[0, AccountOf.Length - 1], Gen.OneOf(Gen.Const(0), Gen.Int[1, 4000]), Gen.Int[0, 3000]).Array[2, 24];

    /// <summary>The readings in time order across meters (ties by meter), each meter's registers rising.</summary>
    internal static List<ReadingInput> TimeOrdered(long[] meters, (int Meter, int Minutes, int StepCenti)[] raw)
    {
        var at = Opened;
        var totals = new decimal[meters.Length];
        var list = new List<ReadingInput>();
        var taken = new HashSet<(int, DateTimeOffset)>();
        foreach (var (meter, minutes, stepCenti) in raw)
        {
            at = at.AddMinutes(minutes);
            if (!taken.Add((meter, at))) { at = at.AddMinutes(1); taken.Add((meter, at)); }
            totals[meter] += stepCenti / 100m;
            list.Add(new ReadingInput(meters[meter], at, new Registers(totals[meter])));
        }
        return list.OrderBy(r => r.At).ThenBy(r => r.MeterId).ToList();
    }

    [Fact]
    public void AnyOrderOrSplitOfABatch_BillsAsTheReadingsOneByOneInTimeOrder_R9a()
    {
        SkipUnlessAvailable();
        Gen.Select(Stream, Gen.Int.Array[24], Gen.Int[0, 23].Array[0, 5]).Sample(t =>
        {
            var (raw, keys, cuts) = t;
            var expected = Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var (site, meters) = await SiteAsync(db.Db);
                foreach (var r in TimeOrdered(meters, raw)) await site.Ingestor.IngestAsync([r]);
                return await site.LedgerAsync();
            });
            var shuffled = Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var (site, meters) = await SiteAsync(db.Db);
                var readings = TimeOrdered(meters, raw);
                await site.Ingestor.IngestAsync(readings.Select((r, i) => (r, key: keys[i % keys.Length] ^ i)).OrderBy(x => x.key).Select(x => x.r).ToList());
                return await site.LedgerAsync();
            });
            var split = Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var (site, meters) = await SiteAsync(db.Db);
                var readings = TimeOrdered(meters, raw);
                var bounds = cuts.Where(c => c < readings.Count).Append(0).Append(readings.Count).Distinct().Order().ToArray();
                for (var b = 0; b + 1 < bounds.Length; b++)
                    await site.Ingestor.IngestAsync(readings.GetRange(bounds[b], bounds[b + 1] - bounds[b]));
                return await site.LedgerAsync();
            });
            Assert.Equal(expected, shuffled);
            Assert.Equal(expected, split);
        }, iter: 30);
    }

    /// <summary>
    /// R9a with R36: however the stream is batched — one by one, as one shuffled batch, or split — every wallet ends on the
    /// same balance, and its statement, per posting and grouped by day, shows the same lines and totals, with
    /// opening + Σ lines = closing = the wallet's balance.
    /// </summary>
    [Fact]
    public void AnyBatching_GivesTheSameBalancesAndStatementTotals_R9a_R36()
    {
        SkipUnlessAvailable();
        Gen.Select(Stream, Gen.Int.Array[24], Gen.Int[0, 23].Array[0, 5]).Sample(t =>
        {
            var (raw, keys, cuts) = t;
            string[] Run(Func<List<ReadingInput>, IEnumerable<List<ReadingInput>>> batches) => Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var (site, meters) = await SiteAsync(db.Db);
                foreach (var batch in batches(TimeOrdered(meters, raw))) await site.Ingestor.IngestAsync(batch);
                return await StatementsAsync(db.Db);
            });
            var expected = Run(readings => readings.Select(r => new List<ReadingInput> { r }));
            var shuffled = Run(readings => [readings.Select((r, i) => (r, key: keys[i % keys.Length] ^ i)).OrderBy(x => x.key).Select(x => x.r).ToList()]);
            var split = Run(readings =>
            {
                var bounds = cuts.Where(c => c < readings.Count).Append(0).Append(readings.Count).Distinct().Order().ToArray();
                return Enumerable.Range(0, bounds.Length - 1).Select(b => readings.GetRange(bounds[b], bounds[b + 1] - bounds[b]));
            });
            Assert.Equal(expected, shuffled);
            Assert.Equal(expected, split);
        }, iter: 15);
    }

    /// <summary>Each account's balance and its statements over the whole stream, as rows to compare.</summary>
    static async Task<string[]> StatementsAsync(Prepaid.Api.Data.Db db)
    {
        await using var connection = await db.OpenAsync();
        var accounts = await Dapper.SqlMapper.QueryAsync<(long Id, long Wallet, long Balance, string Zone)>(connection, """
            SELECT a.id, a.wallet_ledger_id, l.balance_fen, s.time_zone FROM accounts a
            JOIN ledger_accounts l ON l.id = a.wallet_ledger_id JOIN sites s ON s.id = a.site_id ORDER BY a.id
            """);
        var (from, to) = (Opened.AddDays(-1).ToUnixTimeMilliseconds(), Opened.AddYears(2).ToUnixTimeMilliseconds());
        var rows = new List<string>();
        foreach (var a in accounts)
        {
            rows.Add($"account {a.Id} balance {a.Balance}");
            foreach (var group in new[] { null, "day" })
            {
                var statement = await Prepaid.Api.Statements.Statement.BuildDataAsync(connection, db.Dialect, a.Id, a.Wallet, a.Zone, from, to, group);
                Assert.Equal(statement.ClosingFen, statement.OpeningFen + statement.Lines.Sum(l => l.AmountFen));
                Assert.Equal(a.Balance, statement.ClosingFen);
                rows.Add($"statement {a.Id} {group ?? "per posting"}: {statement.OpeningFen} to {statement.ClosingFen}");
                rows.AddRange(statement.Lines.Select(l => $"  {l.Period} {l.Kind} meter {l.MeterId} {l.AmountFen} fen x{l.Count} {l.Key}"));
            }
        }
        return rows.ToArray();
    }

    /// <summary>CsCheck's Sample takes a synchronous body; the database work is async.</summary>
    static T Await<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}

/// <summary>The same property on PostgreSQL, each run in a database of its own; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresIngestOrderPropertyTests : IngestOrderPropertyTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
