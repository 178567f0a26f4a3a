using CsCheck;
using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Api.TopUps;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// On SQLite one ingestor starts a batch from the state its last committed batch left when nothing else wrote since.
/// Whatever happens between batches (a top-up on another connection or on the very connection the ingestor used, a
/// tariff's new price, an operator's decision on a held reading, a batch that fails half way), the ledger, every
/// account's state, every meter's billing state and R13's usage end exactly as when every batch loads afresh.
/// </summary>
public class IngestKeptStateTests
{
    enum Step { Ingest, TopUpElsewhere, TopUpOnTheIngestorsConnection, NewPrice, ResolveHeld, FailingBatch }

    static readonly Gen<Step> Steps = Gen.Frequency(
        (6, Gen.Const(Step.Ingest)), (1, Gen.Const(Step.TopUpElsewhere)), (1, Gen.Const(Step.TopUpOnTheIngestorsConnection)),
        (1, Gen.Const(Step.NewPrice)), (1, Gen.Const(Step.ResolveHeld)), (1, Gen.Const(Step.FailingBatch)));

    static long hits;

    [Fact]
    public void AnyWritesBetweenBatches_LeaveWhatFreshLoadsLeave_R4_R9_R13_R16_R21()
    {
        Gen.Select(IngestOrderPropertyTests.Stream, Steps.Array[4, 14], Gen.Int[1, 6].Array[14], Gen.Int[0, 9].Array[24]).Sample(t =>
        {
            var (raw, steps, sizes, estimates) = t;
            var fresh = Await(() => RunAsync(raw, steps, sizes, estimates, keep: false));
            var kept = Await(() => RunAsync(raw, steps, sizes, estimates, keep: true));
            Assert.Equal(fresh, kept);
        }, iter: 40);
        // The property means something only if the kept state was used.
        Assert.True(Interlocked.Read(ref hits) > 20, $"Only {hits} batches started from a kept state.");
    }

    /// <summary>The steps on a fresh site; every batch through one ingestor (<paramref name="keep"/>) or each through a new one.</summary>
    static async Task<string[]> RunAsync((int Meter, int Minutes, int StepCenti)[] raw, Step[] steps, int[] sizes, int[] estimates, bool keep)
    {
        await using var db = await SqliteTestDatabase.CreateAsync();
        var (site, meters) = await IngestOrderPropertyTests.SiteAsync(db.Db);
        // Some readings are R30's estimates: later real ones supersede them, which changes what a meter's row holds.
        var readings = IngestOrderPropertyTests.TimeOrdered(meters, raw)
            .Select((r, i) => estimates[i % estimates.Length] == 0 ? r with { Source = ReadingSources.Estimate } : r).ToList();
        var one = site.Ingestor;
        ReadingIngestor Ingestor() => keep ? one : site.Ingestor;
        var next = 0;
        for (var s = 0; s < steps.Length; s++)
        {
            site.Time.Advance(TimeSpan.FromMinutes(7));
            switch (steps[s])
            {
                case Step.Ingest:
                    var count = Math.Min(sizes[s % sizes.Length], readings.Count - next);
                    await Ingestor().IngestAsync(readings.GetRange(next, count));
                    next += count;
                    break;
                case Step.FailingBatch:
                    var some = readings.Skip(next).Take(2).ToList();
                    await Assert.ThrowsAsync<ArgumentException>(() => Ingestor().IngestAsync([.. some, new ReadingInput(999_999, site.Time.GetUtcNow(), new Registers(1m))]));
                    break;
                case Step.TopUpElsewhere:
                    // The pool lends the ingestor's last connection first: hold it, and top up on another.
                    await using (var held = await db.Db.OpenAsync())
                    await using (var other = await db.Db.OpenAsync())
                        await TopUpAsync(db.Db, other, site, s);
                    break;
                case Step.TopUpOnTheIngestorsConnection:
                    await using (var connection = await db.Db.OpenAsync())
                        await TopUpAsync(db.Db, connection, site, s);
                    break;
                case Step.NewPrice:
                    await using (var connection = await db.Db.OpenAsync())
                        await connection.ExecuteAsync("UPDATE tariffs SET versions_json = replace(replace(versions_json, '0.8000', '0.8300'), '0.3000', '0.3100')");
                    break;
                case Step.ResolveHeld:
                    await using (var connection = await db.Db.OpenAsync())
                        foreach (var meterId in await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE held_reading_id IS NOT NULL ORDER BY meter_id"))
                            await Ingestor().ResolveHeldAsync(meterId, accept: meterId % 2 == 0, note: null);
                    break;
            }
        }
        if (keep) Interlocked.Add(ref hits, one.BatchesOnKeptState);
        return [.. await site.LedgerAsync(), .. await StateAsync(db.Db)];
    }

    /// <summary>A counter top-up of 30.00 to the first account, on the given connection.</summary>
    static async Task TopUpAsync(Db db, System.Data.Common.DbConnection connection, IngestSite site, int step)
    {
        await using var tx = db.Dialect.BeginWrite(connection);
        var accountId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM accounts", transaction: tx);
        var outbox = new OutboxWriter();
        var (outcome, _) = await TopUpPosting.PostAsync(connection, tx, db.Dialect, accountId, new Money(3000), "cash",
            TopUpSource.Counter(accountId, "cash", $"kept-{step}"), null, site.Time.GetUtcNow(), outbox);
        Assert.Equal(TopUpOutcome.Posted, outcome);
        await outbox.FlushAsync(connection, tx, db.Dialect, CancellationToken.None);
        await tx.CommitAsync();
    }

    /// <summary>What the ledger rows do not show: accounts' states, meters' billing state, R13's usage, the switch requests.</summary>
    static async Task<string[]> StateAsync(Db db)
    {
        await using var connection = await db.OpenAsync();
        var accounts = await connection.QueryAsync<string>(
            "SELECT 'account ' || id || ' ' || state || ' ' || COALESCE(last_switch, '-') || ' ' || charge_arrears_fen FROM accounts ORDER BY id");
        var meters = await connection.QueryAsync<string>("""
            SELECT 'meter ' || meter_id || ' ' || exact_cost || ' ' || debited_fen || ' ' || last_at_ms || ' ' || last_total_milli || ' ' ||
                COALESCE(held_reading_id, '-') || ' ' || seen_at_ms || ' ' || COALESCE(real_at_ms, '-') || ' ' || COALESCE(real_total_milli, '-') || ' ' ||
                COALESCE(real_exact_cost, '-')
            FROM account_meters ORDER BY id
            """);
        var usage = await connection.QueryAsync<string>(
            "SELECT 'usage ' || account_id || ' ' || utility || ' ' || period_key || ' ' || quantity FROM tier_usage ORDER BY account_id, utility, period_key");
        var outbox = await connection.QueryAsync<string>("SELECT 'outbox ' || kind || ' ' || payload_json FROM outbox ORDER BY id");
        return [.. accounts, .. meters, .. usage, .. outbox];
    }

    [Fact]
    public async Task ABatchAfterACommittedOne_StartsFromItsState_WhenNothingElseWrote()
    {
        await using var db = await SqliteTestDatabase.CreateAsync();
        var (site, meters) = await IngestOrderPropertyTests.SiteAsync(db.Db);
        var ingestor = site.Ingestor;
        var at = IngestOrderPropertyTests.Opened;
        for (var k = 1; k <= 3; k++)
            await ingestor.IngestAsync(meters.Select(m => new ReadingInput(m, at.AddHours(k), new Registers(k * 1.5m))).ToList());
        Assert.Equal(2, ingestor.BatchesOnKeptState);
    }

    [Fact]
    public async Task ATopUpBetweenBatches_OnAnotherConnectionOrTheIngestorsOwn_IsSeenByTheNextBatch_R15_R16()
    {
        await using var db = await SqliteTestDatabase.CreateAsync();
        var (site, meters) = await IngestOrderPropertyTests.SiteAsync(db.Db);
        var ingestor = site.Ingestor;
        var at = IngestOrderPropertyTests.Opened;
        await ingestor.IngestAsync([new ReadingInput(meters[0], at.AddHours(1), new Registers(10m))]);
        await using (var connection = await db.Db.OpenAsync())
        {
            // The connection the ingestor committed on (the pool lends it first): it has changed rows, a new one has not.
            Assert.True(await connection.ExecuteScalarAsync<long>("SELECT total_changes()") > 0);
            await TopUpAsync(db.Db, connection, site, 1);
        }
        await ingestor.IngestAsync([new ReadingInput(meters[0], at.AddHours(2), new Registers(11m))]);
        await using (var held = await db.Db.OpenAsync())
        await using (var other = await db.Db.OpenAsync())
        {
            Assert.Equal(0, await other.ExecuteScalarAsync<long>("SELECT total_changes()"));
            await TopUpAsync(db.Db, other, site, 2);
        }
        await ingestor.IngestAsync([new ReadingInput(meters[0], at.AddHours(3), new Registers(12m))]);
        Assert.Equal(0, ingestor.BatchesOnKeptState);

        // The wallet holds both top-ups less the three debits, as the ledger's lines add up (R21).
        await using var check = await db.Db.OpenAsync();
        var (balance, lines) = await check.QuerySingleAsync<(long, long)>("""
            SELECT l.balance_fen, (SELECT COALESCE(sum(CASE WHEN x.credit_ledger_id = l.id THEN x.amount_fen ELSE -x.amount_fen END), 0)
                                   FROM ledger_lines x WHERE x.debit_ledger_id = l.id OR x.credit_ledger_id = l.id)
            FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = (SELECT min(id) FROM accounts)
            """);
        Assert.Equal(lines, balance);
        var debits = await check.ExecuteScalarAsync<long>("SELECT sum(amount_fen) FROM readings WHERE status = 'billed' AND meter_id = @m", new { m = meters[0] });
        Assert.Equal(6000 - debits, balance);
    }

    [Fact]
    public async Task ABatchThatFails_LeavesNoStateBehind_TheNextBillsFromWhatIsStored_R9()
    {
        async Task<string[]> Run(bool keep)
        {
            await using var db = await SqliteTestDatabase.CreateAsync();
            var (site, meters) = await IngestOrderPropertyTests.SiteAsync(db.Db);
            var one = site.Ingestor;
            ReadingIngestor Ingestor() => keep ? one : site.Ingestor;
            var at = IngestOrderPropertyTests.Opened;
            await Ingestor().IngestAsync([new ReadingInput(meters[0], at.AddHours(1), new Registers(3m))]);
            // Billed in memory, then the unknown meter throws: the transaction rolls back, and so must the state.
            await Assert.ThrowsAsync<ArgumentException>(() => Ingestor().IngestAsync(
                [new ReadingInput(meters[0], at.AddHours(2), new Registers(9m)), new ReadingInput(999_999, at.AddHours(3), new Registers(1m))]));
            await Ingestor().IngestAsync([new ReadingInput(meters[0], at.AddHours(2), new Registers(9m))]);
            // The failing batch started from the first one's state; the third could not, as none was kept.
            if (keep) Assert.Equal(1, one.BatchesOnKeptState);
            return [.. await site.LedgerAsync(), .. await StateAsync(db.Db)];
        }
        Assert.Equal(await Run(keep: false), await Run(keep: true));
    }

    static T Await<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();
}
