using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Bench;

/// <summary>
/// Opens N metered accounts on TOU tariffs (period registers on half the meters, time split on the other half),
/// ingests the readings through ReadingIngestor — the API's own path — in batches of one reading per meter,
/// and compares with the bare cost of inserting the same reading rows with one prepared command in one transaction.
/// Runs once with SQLite's synchronous=FULL (the product setting) and once with NORMAL, so the cost of durability shows;
/// with <c>--database postgres</c> one pass on a PostgreSQL server instead (<c>--connection</c>, else PREPAID_TEST_POSTGRES),
/// in databases it creates and drops, printing the same figures. With <c>--history N</c> (SQLite) both databases first
/// hold N readings of history (untimed), so the figures show how ingest holds up as the tables grow; it also prints the
/// bytes stored per billed reading.
/// </summary>
public static partial class IngestBench
{
    static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
    const int MinutesPerRound = 15;

    public static async Task RunAsync(BenchOptions options)
    {
        var accounts = options.Int("accounts", 10_000);
        // Per pass; the default run makes two (FULL, NORMAL), a million readings in all, in about two minutes.
        var total = options.Int("readings", 500_000);
        var rounds = total / accounts;
        var commits = Math.Min(options.Int("commits", 1_000), accounts);
        var historyRounds = options.Int("history", 0) / accounts;
        if (options.Values.GetValueOrDefault("database", "sqlite") == "postgres")
        {
            await PostgresAsync(options, accounts, rounds, commits);
            return;
        }
        var modes = options.Values.GetValueOrDefault("synchronous", "both") switch
        {
            "full" => new[] { SqliteSynchronous.Full },
            "normal" => [SqliteSynchronous.Normal],
            _ => [SqliteSynchronous.Full, SqliteSynchronous.Normal],
        };
        Console.WriteLine($"ingest: {accounts:N0} accounts, {rounds * accounts:N0} readings in {rounds} batches of {accounts:N0}, SQLite (WAL), " +
            $"synchronous {string.Join(" and ", modes.Select(Name))}");
        var rates = new Dictionary<SqliteSynchronous, (double Readings, double Commits)>();
        foreach (var mode in modes) rates[mode] = await PassAsync(mode, accounts, rounds, commits, historyRounds);
        if (rates.Count == 2)
        {
            var (full, normal) = (rates[SqliteSynchronous.Full], rates[SqliteSynchronous.Normal]);
            // What durability costs: FULL syncs the WAL at every commit (a cashier's top-up survives power loss), NORMAL does not.
            Console.WriteLine($"  cost of synchronous=FULL: readings billed per second {full.Readings:N0} vs {normal.Readings:N0} with NORMAL " +
                $"({Percent(full.Readings, normal.Readings)}); single-reading commits per second {full.Commits:N0} vs {normal.Commits:N0} " +
                $"({Percent(full.Commits, normal.Commits)})");
        }
    }

    static string Name(SqliteSynchronous mode) => mode == SqliteSynchronous.Full ? "FULL" : "NORMAL";

    static string Percent(double full, double normal) => $"{(full / normal - 1) * 100:+0.0;-0.0;0.0} %";

    /// <summary>
    /// One pass on a fresh database: batches of one reading per meter, then <paramref name="commits"/> batches of a single
    /// reading each (one commit each, as a counter top-up is), so the cost of syncing at every commit shows.
    /// </summary>
    static async Task<(double Readings, double Commits)> PassAsync(SqliteSynchronous mode, int accounts, int rounds, int commits, int historyRounds)
    {
        var folder = Directory.CreateTempSubdirectory("prepaid-bench-").FullName;
        Console.WriteLine($"  synchronous={Name(mode)}{(mode == SqliteSynchronous.Full ? " (the product setting)" : " (may lose the last commits on power loss)")} at {folder}");
        try
        {
            var db = Db.Create("sqlite", $"Data Source={Path.Combine(folder, "ingest.db")}", folder, mode);
            Func<Task<Db>>? baseline = mode == SqliteSynchronous.Full
                ? () => Task.FromResult(Db.Create("sqlite", $"Data Source={Path.Combine(folder, "baseline.db")}", folder))
                : null;
            return await MeasureAsync(db, baseline, accounts, rounds, commits, historyRounds);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One pass on a PostgreSQL server, in two databases made for it (the run's and the baseline's) and dropped after.</summary>
    static async Task PostgresAsync(BenchOptions options, int accounts, int rounds, int commits)
    {
        var server = options.Values.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable("PREPAID_TEST_POSTGRES")
            ?? throw new InvalidOperationException("ingest --database postgres needs --connection or PREPAID_TEST_POSTGRES: a server where it may create databases.");
        var names = new[] { "ingest", "baseline" }.Select(n => $"prepaid_bench_{n}_{Guid.NewGuid().ToString("N")[..8]}").ToArray();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        var version = await admin.ExecuteScalarAsync<string>("SHOW server_version");
        var synchronous = await admin.ExecuteScalarAsync<string>("SHOW synchronous_commit");
        var fsync = await admin.ExecuteScalarAsync<string>("SHOW fsync");
        Console.WriteLine($"ingest: {accounts:N0} accounts, {rounds * accounts:N0} readings in {rounds} batches of {accounts:N0}, " +
            $"PostgreSQL {version} at {admin.Host}:{admin.Port}, synchronous_commit={synchronous}, fsync={fsync}");
        Db Database(string name) => Db.Create("postgres", new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, AppContext.BaseDirectory);
        try
        {
            foreach (var name in names) await admin.ExecuteAsync($"CREATE DATABASE {name}");
            await MeasureAsync(Database(names[0]), () => Task.FromResult(Database(names[1])), accounts, rounds, commits, 0);
        }
        finally
        {
            foreach (var name in names) await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    /// <summary>The figures of one pass on an empty database; the baseline's database when <paramref name="baseline"/> is given.</summary>
    static async Task<(double Readings, double Commits)> MeasureAsync(Db db, Func<Task<Db>>? baseline, int accounts, int rounds, int commits,
        int historyRounds)
    {
        var time = new FakeTimeProvider(T0.AddDays(40));
        var scripts = Migrator.LocateScripts(AppContext.BaseDirectory);
        await Migrator.ApplyAsync(db, scripts, 0);
        var setup = Stopwatch.StartNew();
        var meterIds = await SetUpAsync(db, accounts);
        Console.WriteLine($"    setup: opened {accounts:N0} accounts in {setup.Elapsed.TotalSeconds:0.0} s");
        var load = new LoadProfile(meterIds);
        if (historyRounds > 0)
        {
            var fill = Stopwatch.StartNew();
            await FillHistoryAsync(db, load, historyRounds);
            Console.WriteLine($"    history: {historyRounds * accounts:N0} billed readings (each its own ledger line), by bulk INSERT, in {fill.Elapsed.TotalSeconds:0.0} s (not timed)");
        }
        var sqlite = db.Dialect is SqliteDialect;
        var storedBefore = sqlite ? await StoredBytesAsync(db) : 0;

        var phases = new IngestPhases();
        var ingestor = new ReadingIngestor(db, time, new PostingEventBus()) { Phases = phases };
        GC.Collect();
        // Each batch is made before the clock runs, so only ingesting is timed.
        var clock = new Stopwatch();
        long billed = 0;
        for (var k = 1; k <= rounds; k++)
        {
            var batch = load.Next();
            clock.Start();
            billed += (await ingestor.IngestAsync(batch)).Count(o => o.Status == "billed");
            clock.Stop();
        }
        var ingestRate = rounds * accounts / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"    where the time goes: {string.Join(", ", phases.Totals.Select(p => $"{p.Phase} {p.Time.TotalSeconds:0.00} s"))}");
        Console.WriteLine($"    batches that started from the state the batch before left (nothing else wrote in between): {ingestor.BatchesOnKeptState:N0} of {rounds:N0}");
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var stored = sqlite ? await StoredBytesAsync(db) - storedBefore : 0;

        var single = load.Next().Take(commits).ToList();
        var commitClock = Stopwatch.StartNew();
        foreach (var reading in single) await ingestor.IngestAsync([reading]);
        commitClock.Stop();
        var commitRate = commits / commitClock.Elapsed.TotalSeconds;

        var check = await LedgerCheck.RunAsync(db);
        Console.WriteLine($"    ingest: {rounds * accounts:N0} readings ({billed:N0} billed) in {clock.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"    readings billed per second: {ingestRate:N0}");
        Console.WriteLine($"    single-reading commits: {commits:N0} in {commitClock.Elapsed.TotalSeconds:0.00} s = {commitRate:N0} per second");
        if (sqlite)
            Console.WriteLine($"    stored per billed reading (growth of the database's pages in use: the reading row, which is its own ledger line, and its index, plus meter states, wallets and keyed postings): {(double)stored / billed:0} bytes");
        Console.WriteLine($"    peak memory (working set, run so far): {peak / 1024.0 / 1024.0:N0} MiB");
        if (baseline is not null)
        {
            var baselineTime = await BaselineAsync(await baseline(), scripts, meterIds, rounds, historyRounds);
            var baselineRate = rounds * accounts / baselineTime.TotalSeconds;
            Console.WriteLine($"    baseline: {rounds * accounts:N0} reading rows, one prepared INSERT, one transaction, into a table of {historyRounds * accounts:N0} rows: {baselineTime.TotalSeconds:0.00} s = {baselineRate:N0} rows/s");
            Console.WriteLine($"    ratio ingest/baseline: {ingestRate / baselineRate:0.00}");
        }
        Console.WriteLine($"    ledger check (R22): {(check.All(c => c.Holds) ? "all invariants hold" : "BROKEN: " + check.First(c => !c.Holds).Name)}");
        return (ingestRate, commitRate);
    }

    static async Task<long[]> SetUpAsync(Db db, int accounts)
    {
        await using var connection = await db.OpenAsync();
        await using var tx = db.Dialect.BeginWrite(connection);
        var siteId = await connection.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('Bench mall', 'Asia/Shanghai', 0) RETURNING id", transaction: tx);
        var meterIds = new long[accounts];
        for (var i = 0; i < accounts; i++)
            meterIds[i] = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms)
                VALUES (@siteId, @serial, 'electricity', '1', '1000000', '16.56', '0.01', 0) RETURNING id
                """, new { siteId, serial = $"B{i:00000}" }, tx);
        // Even meters report the four period registers (LoadProfile advances them), odd ones the total only.
        await BenchAccounts.OpenAsync(connection, tx, db.Dialect, siteId, meterIds, T0, i => i % 2 == 0);
        await tx.CommitAsync();
        return meterIds;
    }

    /// <summary>
    /// Every meter reports once per round, 15 minutes after the last; 0.10–0.60 kWh per quarter hour, a shop's load.
    /// Even meters carry the four period registers, advanced in the period the quarter hour began in.
    /// </summary>
    sealed class LoadProfile(long[] meterIds)
    {
        readonly long[] total = new long[meterIds.Length];
        readonly long[,] periods = new long[meterIds.Length, 4];
        int round;

        public List<ReadingInput> Next()
        {
            var from = T0.AddMinutes(MinutesPerRound * round);
            round++;
            var at = T0.AddMinutes(MinutesPerRound * round);
            var period = (int)PeriodAt(from);
            var batch = new List<ReadingInput>(meterIds.Length);
            for (var i = 0; i < meterIds.Length; i++)
            {
                var step = 10 + (i * 7 + round * 3) % 50; // in 0.01 kWh
                total[i] += step;
                periods[i, period] += step;
                var registers = i % 2 == 0
                    ? new Registers(total[i] / 100m, periods[i, 0] / 100m, periods[i, 1] / 100m, periods[i, 2] / 100m, periods[i, 3] / 100m)
                    : new Registers(total[i] / 100m);
                batch.Add(new ReadingInput(meterIds[i], at, registers));
            }
            return batch;
        }
    }

    /// <summary>The bench tariff's period at a local instant (the same segments as its TOU version).</summary>
    static Period PeriodAt(DateTimeOffset local) => local.Hour switch
    {
        < 8 => Period.Valley,
        < 10 => Period.Flat,
        < 12 => Period.Sharp,
        < 18 => Period.Peak,
        < 22 => Period.Flat,
        _ => Period.Valley,
    };

    static async Task<TimeSpan> BaselineAsync(Db db, string scripts, long[] meterIds, int rounds, int historyRounds)
    {
        await Migrator.ApplyAsync(db, scripts, 0);
        await using var connection = await db.OpenAsync();
        var load = new LoadProfile(meterIds);
        await FillBaselineHistoryAsync(db, connection, load, historyRounds);
        var clock = new Stopwatch();
        await using var tx = db.Dialect.BeginWrite(connection);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO readings (meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, amount_fen, account_meter_id, received_at_ms)
            VALUES (@meter, @at, @total, @sharp, @peak, @flat, @valley, 'billed', NULL, @amount, @accountMeter, 0)
            """;
        var p = new[] { "@meter", "@at", "@total", "@sharp", "@peak", "@flat", "@valley", "@amount", "@accountMeter" }
            .Select(n => db.Dialect.Parameter(insert, n, ParameterType.BigInt)).ToArray();
        await insert.PrepareAsync();
        for (var k = 1; k <= rounds; k++)
        {
            var batch = load.Next();
            clock.Start();
            foreach (var r in batch)
            {
                p[0].Value = r.MeterId;
                p[1].Value = r.At.ToUnixTimeMilliseconds();
                p[2].Value = (long)(r.Registers.Total * 1000);
                p[3].Value = r.Registers.Sharp is { } s ? (long)(s * 1000) : DBNull.Value;
                p[4].Value = r.Registers.Peak is { } pk ? (long)(pk * 1000) : DBNull.Value;
                p[5].Value = r.Registers.Flat is { } f ? (long)(f * 1000) : DBNull.Value;
                p[6].Value = r.Registers.Valley is { } v ? (long)(v * 1000) : DBNull.Value;
                p[7].Value = 1L;
                p[8].Value = r.MeterId;
                await insert.ExecuteNonQueryAsync();
            }
            clock.Stop();
        }
        clock.Start();
        await tx.CommitAsync();
        return clock.Elapsed;
    }
}
