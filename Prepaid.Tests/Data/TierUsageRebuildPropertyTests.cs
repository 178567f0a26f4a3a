using CsCheck;
using Dapper;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;
using Prepaid.Tests.Support;
using Prepaid.Api.Readings;

namespace Prepaid.Tests.Data;

/// <summary>
/// R13 as a property over the real ingest path and a real database (SQLite file, PostgreSQL): the tier usage rebuilt from the billed readings
/// is the usage live billing counted, period by period, to the last digit — deltas that span a month start split by
/// time, meters with period registers counted by their periods, several meters of one account added up.
/// </summary>
public class TierUsageRebuildPropertyTests
{
    /// <summary>The database each run of the property gets: a SQLite file here, a PostgreSQL database in the subclass.</summary>
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    /// <summary>Skips the test, saying why, where its database is not there (before the property, which would report a skip as a failure).</summary>
    protected virtual void SkipUnlessAvailable() { }

    static readonly DateTimeOffset Opened = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
    static readonly DateTimeOffset Now = new(2026, 12, 31, 12, 0, 0, TimeSpan.FromHours(8));

    // Time-of-use now and tiered next year: the account counts tier usage live from the start.
    const string TouThenTiered = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tou","prices":{"sharp":"1.1012","peak":"0.9863","flat":"0.6853","valley":"0.3211"},
          "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"18:00","period":"peak"},{"from":"18:00","to":"00:00","period":"flat"}]},
         {"effectiveFrom":"2027-06-01T00:00:00+08:00","kind":"tiered","period":"month",
          "tiers":[{"upTo":"100","price":"0.5000"},{"upTo":null,"price":"1.0000"}]}]
        """;

    /// <summary>(meter, minutes after the previous reading, register step in hundredths, period step split and error).</summary>
    static readonly Gen<(int Meter, int Minutes, int StepCenti, int SharePercent, int ErrorCenti)[]> Stream =
        Gen.Select(Gen.Int[0, 2], Gen.Int[30, 5000], Gen.Int[0, 5000], Gen.Int[0, 100], Gen.Int[-1, 1]).Array[1, 30];

    [Fact]
    public void RebuiltTierUsage_IsTheUsageLiveBillingCounted_R13()
    {
        SkipUnlessAvailable();
        Stream.Sample(raw =>
        {
            var (live, rebuilt) = Await(async () =>
            {
                await using var db = await CreateDatabaseAsync();
                var site = await IngestSite.CreateAsync(db.Db, Now);
                var tariff = await site.TariffAsync(TouThenTiered);
                long[] meters = [await site.MeterAsync("P"), await site.MeterAsync("T"), await site.MeterAsync("M", multiplier: "40")];
                await site.AccountAsync(Opened, (meters[0], tariff, true), (meters[1], tariff, false), (meters[2], tariff, false));
                var at = Opened;
                var totals = new decimal[3];
                var periods = new (decimal Peak, decimal Flat)[3];
                foreach (var (meter, minutes, stepCenti, share, error) in raw)
                {
                    at = at.AddMinutes(minutes);
                    var step = stepCenti / 100m;
                    totals[meter] += step;
                    var peak = decimal.Round(step * share / 100m, 2);
                    periods[meter] = (periods[meter].Peak + peak, periods[meter].Flat + step - peak + error / 100m);
                    var registers = meter == 0 ? new Registers(totals[0], 0m, periods[0].Peak, Math.Max(0m, periods[0].Flat), 0m) : new Registers(totals[meter]);
                    await site.Ingestor.IngestAsync([new ReadingInput(meters[meter], at, registers)]);
                }
                var before = await UsageAsync(db.Db);
                await using var connection = await db.Db.OpenAsync();
                await using var tx = db.Db.Dialect.BeginWrite(connection);
                await connection.ExecuteAsync("DELETE FROM tier_usage", transaction: tx);
                await TierUsageRebuild.RunAsync(connection, tx, db.Db.Dialect, tariff, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), Now);
                await tx.CommitAsync();
                return (before, await UsageAsync(db.Db));
            });
            Assert.Equal(live, rebuilt);
        }, iter: 25);
    }

    static async Task<string[]> UsageAsync(Prepaid.Api.Data.Db db)
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<(long Account, string Utility, string Key, string Quantity)>(
                "SELECT account_id, utility, period_key, quantity FROM tier_usage ORDER BY account_id, utility, period_key"))
            .Where(r => decimal.Parse(r.Quantity, System.Globalization.CultureInfo.InvariantCulture) != 0m)
            .Select(r => $"{r.Account} {r.Utility} {r.Key} {decimal.Parse(r.Quantity, System.Globalization.CultureInfo.InvariantCulture).ToString("G29", System.Globalization.CultureInfo.InvariantCulture)}").ToArray();
    }

    /// <summary>CsCheck's Sample takes a synchronous body; the database work is async.</summary>
    static T Await<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}

/// <summary>The same property on PostgreSQL, each run in a database of its own; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresTierUsageRebuildPropertyTests : TierUsageRebuildPropertyTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
