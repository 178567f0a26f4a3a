using System.Globalization;
using CsCheck;
using Dapper;
using Prepaid.Api.Ledger;
using Prepaid.Api.Readings;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// R30 as a property over the real ingest path and a real SQLite file: any pattern of estimated readings between real ones
/// — none, several, estimates that undershoot or overshoot the real consumption — followed by the real readings leaves every
/// wallet, every meter's exact cumulative cost and debits (R4), and every tier period's usage (R13) exactly where the real
/// readings alone leave them. Three accounts: monthly tiers with deltas across a month start, time-of-use by period registers,
/// time-of-use split by time with a CT ratio.
/// </summary>
public class EstimatePropertyTests
{
    static readonly DateTimeOffset Opened = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    const string MonthlyTiers = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tiered","period":"month",
          "tiers":[{"upTo":"30","price":"0.5000"},{"upTo":"80","price":"0.8000"},{"upTo":null,"price":"1.2000"}]}]
        """;

    const string Tou = """
        [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tou","prices":{"sharp":"1.1012","peak":"0.9863","flat":"0.6853","valley":"0.3211"},
          "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"18:00","period":"peak"},{"from":"18:00","to":"00:00","period":"flat"}]}]
        """;

    sealed record Site(IngestSite Ingest, long[] Meters, long[] Accounts);

    static async Task<Site> SiteAsync(Prepaid.Api.Data.Db db)
    {
        var site = await IngestSite.CreateAsync(db, Opened.AddDays(90));
        var tiered = await site.TariffAsync(MonthlyTiers);
        var tou = await site.TariffAsync(Tou);
        long[] meters = [await site.MeterAsync("T", ratedMaxPerHour: "100000"), await site.MeterAsync("P", ratedMaxPerHour: "100000"),
            await site.MeterAsync("M", ratedMaxPerHour: "100000", multiplier: "40")];
        long[] accounts =
        [
            (await site.AccountAsync(Opened, (meters[0], tiered, false))).AccountId,
            (await site.AccountAsync(Opened, (meters[1], tou, true))).AccountId,
            (await site.AccountAsync(Opened, (meters[2], tou, false))).AccountId,
        ];
        return new Site(site, meters, accounts);
    }

    /// <summary>(meter, minutes after the previous reading, register step in hundredths, peak share %, estimates before it: (position ‰, step)).</summary>
    static readonly Gen<(int Meter, int Minutes, int StepCenti, int PeakPercent, (int Permille, int StepCenti)[] Estimates)[]> Stream =
        Gen.Select(Gen.Int[0, 2], Gen.Int[30, 4000], Gen.Int[0, 5000], Gen.Int[0, 100], Gen.Select(Gen.Int[1, 999], Gen.Int[0, 8000]).Array[0, 3]).Array[1, 20];

    sealed record Planned(ReadingInput Real, List<ReadingInput> Estimates);

    static List<Planned> Plan(long[] meters, (int Meter, int Minutes, int StepCenti, int PeakPercent, (int Permille, int StepCenti)[] Estimates)[] raw)
    {
        var at = Opened;
        var previousAt = new DateTimeOffset[3] { Opened, Opened, Opened };
        var totals = new decimal[3];
        var peaks = new decimal[3];
        var plans = new List<Planned>();
        foreach (var (meter, minutes, stepCenti, peakPercent, estimates) in raw)
        {
            at = at.AddMinutes(minutes);
            var step = stepCenti / 100m;
            var peak = decimal.Round(step * peakPercent / 100m, 2);
            totals[meter] += step;
            peaks[meter] += peak;
            var registers = meter == 1 ? new Registers(totals[1], 0m, peaks[1], totals[1] - peaks[1], 0m) : new Registers(totals[meter]);
            // Estimates strictly between the meter's previous reading and this one, their registers rising from the last real one,
            // as far past this reading's registers as they like.
            var span = (at - previousAt[meter]).TotalMilliseconds;
            var estimated = new List<ReadingInput>();
            var estimateTotal = totals[meter] - step;
            foreach (var (permille, estimateCenti) in estimates.OrderBy(e => e.Permille).DistinctBy(e => e.Permille))
            {
                estimateTotal += estimateCenti / 100m;
                estimated.Add(new ReadingInput(meters[meter], previousAt[meter].AddMilliseconds(Math.Round(span * permille / 1000)),
                    new Registers(estimateTotal), ReadingSources.Estimate));
            }
            plans.Add(new Planned(new ReadingInput(meters[meter], at, registers), estimated.DistinctBy(e => e.At).Where(e => e.At > previousAt[meter] && e.At < at).ToList()));
            previousAt[meter] = at;
        }
        return plans;
    }

    [Fact]
    public void EstimatesThenRealReadings_LeaveWalletCostAndTierUsage_AsRealReadingsAlone_R30()
    {
        Stream.Sample(raw =>
        {
            var realOnly = Await(async () =>
            {
                await using var db = await SqliteTestDatabase.CreateAsync();
                var site = await SiteAsync(db.Db);
                foreach (var p in Plan(site.Meters, raw)) await site.Ingest.Ingestor.IngestAsync([p.Real]);
                return await StateAsync(db.Db);
            });
            var (estimated, checks, superseded, planned) = Await(async () =>
            {
                await using var db = await SqliteTestDatabase.CreateAsync();
                var site = await SiteAsync(db.Db);
                var plans = Plan(site.Meters, raw);
                foreach (var p in plans)
                {
                    foreach (var e in p.Estimates) Assert.Equal("billed", (await site.Ingest.Ingestor.IngestAsync([e]))[0].Status);
                    await site.Ingest.Ingestor.IngestAsync([p.Real]);
                    // Replaying the real reading changes nothing (R9).
                    Assert.Equal("duplicate", (await site.Ingest.Ingestor.IngestAsync([p.Real]))[0].Status);
                }
                await using var connection = await db.Db.OpenAsync();
                var superseded = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings WHERE source = 'estimate' AND status = 'superseded'");
                return (await StateAsync(db.Db), await LedgerCheck.RunAsync(db.Db), superseded, plans.Sum(p => p.Estimates.Count));
            });
            Assert.Equal(realOnly, estimated);
            Assert.All(checks, c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
            // Every estimate was followed by a real reading of its meter, so every one stands superseded, still stored.
            Assert.Equal(planned, superseded);
        }, iter: 30);
    }

    /// <summary>Wallet balances, each meter's exact cost and debits, and the non-zero tier usage, as comparable text.</summary>
    static async Task<string[]> StateAsync(Prepaid.Api.Data.Db db)
    {
        await using var connection = await db.OpenAsync();
        var wallets = await connection.QueryAsync<string>("""
            SELECT 'wallet ' || a.id || ' = ' || l.balance_fen FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id ORDER BY a.id
            """);
        var meters = (await connection.QueryAsync<(long MeterId, string ExactCost, long DebitedFen, long LastAtMs, long LastTotal)>(
                "SELECT meter_id, exact_cost, debited_fen, last_at_ms, last_total_milli FROM account_meters ORDER BY meter_id"))
            .Select(m => $"meter {m.MeterId}: exact {Normal(m.ExactCost)} debited {m.DebitedFen} last {m.LastAtMs} {m.LastTotal}");
        var usage = (await connection.QueryAsync<(long Account, string Key, string Quantity)>(
                "SELECT account_id, period_key, quantity FROM tier_usage ORDER BY account_id, period_key"))
            .Where(u => decimal.Parse(u.Quantity, CultureInfo.InvariantCulture) != 0m)
            .Select(u => $"usage {u.Account} {u.Key} {Normal(u.Quantity)}");
        return wallets.Concat(meters).Concat(usage).ToArray();
    }

    static string Normal(string text) => decimal.Parse(text, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture);

    /// <summary>CsCheck's Sample takes a synchronous body; the database work is async.</summary>
    static T Await<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}
