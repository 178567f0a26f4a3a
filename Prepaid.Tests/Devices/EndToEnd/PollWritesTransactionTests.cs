using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Api.TopUps;
using Prepaid.Devices.Metering;
using Prepaid.Devices.Transport;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.EndToEnd;

/// <summary>
/// A joined write of the poller is one transaction, the lanes' meter status and their readings' ingest batch: a part
/// whose ingest fails leaves neither its status nor its money, and the ingest's kept state carries from one joined
/// write to the next (the status rows are none of it) and bills exactly as fresh loads do. On SQLite here, on
/// PostgreSQL (where every batch loads afresh) below.
/// </summary>
public class PollWritesTransactionTests
{
    protected virtual async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    protected virtual void SkipUnlessAvailable() { }

    static readonly DateTimeOffset Opened = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    const string Flat = """[{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"flat","price":"0.7000"}]""";

    [Fact]
    public async Task JoinedWrite_APartWhoseIngestFails_CommitsNeitherItsStatusNorItsMoney_TheOtherPartsLand_R9()
    {
        SkipUnlessAvailable();
        await using var database = await CreateDatabaseAsync();
        var db = database.Db;
        var (site, meters) = await SiteAsync(db);
        var (a, b, c) = (meters[0], meters[1], meters[2]); // a and b share the first account's wallet, c is on the second
        var alarms = new List<DeviceAlarmChange>();
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        events.AlarmChanged += alarms.Add;
        var status = new MeterStatusWriter(db, events, site.Time);
        var writes = new PollWrites(status, site.Ingestor, site.Time);
        await status.RecordAsync([Missed(c)], offlineAfter: 1); // c is offline: an answer of it would clear the alarm
        var at = site.Time.GetUtcNow();
        var ct = TestContext.Current.CancellationToken;

        // Hold the write gate so the first lane's write waits and the next two queue behind it and are joined.
        await db.WriteGate.WaitAsync(ct);
        var blocking = writes.WriteAsync(Lane([Answer(a, 1_000)], [new ReadingInput(a, at, new Registers(1m))]));
        await Task.Delay(200, ct);
        // c's answer and reading are fine; the unknown meter beside them fails the part's ingest.
        var bad = writes.WriteAsync(Lane([Answer(c, 2_000)], [new ReadingInput(c, at, new Registers(2m)), new ReadingInput(999_999, at, new Registers(1m))]));
        var good = writes.WriteAsync(Lane([Answer(b, 3_000)], [new ReadingInput(b, at, new Registers(3m))]));
        db.WriteGate.Release();

        await blocking;
        await Assert.ThrowsAsync<ArgumentException>(() => bad);
        await good;
        Assert.Equal(2, writes.Count); // bad and good were written together first, then each alone

        await using var connection = await db.OpenAsync(ct);
        // Besides the accounts' opening baselines:
        var stored = (await connection.QueryAsync<(long MeterId, long TotalMilli, string Status, long AmountFen)>(
            "SELECT meter_id, total_milli, status, amount_fen FROM readings WHERE status <> 'baseline' ORDER BY meter_id")).ToList();
        Assert.Equal([(a, 1_000L, "billed", 70L), (b, 3_000L, "billed", 210L)], stored);
        var rows = (await connection.QueryAsync<(long MeterId, long Online, long Missed, long? Total)>(
            "SELECT meter_id, online, missed_polls, last_total_milli FROM meter_status ORDER BY meter_id")).ToList();
        Assert.Equal([(a, 1L, 0L, 1_000L), (b, 1L, 0L, 3_000L), (c, 0L, 1L, (long?)null)], rows);
        // c's offline alarm stands, and nothing was published for the part that failed.
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM device_alarms WHERE meter_id = @c AND kind = 'offline' AND cleared_at_ms IS NULL", new { c }));
        Assert.Equal([(c, true)], alarms.Select(x => (x.MeterId, x.Raised)).ToList());
        // a's and b's wallet was debited 70 + 210 fen (at 0.70 a kWh), c's not at all.
        var wallets = (await connection.QueryAsync<long>(
            "SELECT l.balance_fen FROM accounts x JOIN ledger_accounts l ON l.id = x.wallet_ledger_id ORDER BY x.id")).ToList();
        Assert.Equal([-280L, 0L], wallets);
    }

    [Fact]
    public async Task JoinedWrites_StartFromTheStateTheOneBeforeLeft_AndLeaveWhatFreshLoadsLeave_R4_R9_R16_R16a()
    {
        SkipUnlessAvailable();
        var (kept, keptBatches, sqlite) = await FeedAsync(keepState: true);
        var (fresh, _, _) = await FeedAsync(keepState: false);
        Assert.Equal(fresh, kept);
        // Six writes: the first loads, and so does the one after the top-up (another writer); the other four start from the kept state.
        Assert.Equal(sqlite ? 4 : 0, keptBatches);
    }

    /// <summary>
    /// Six joined writes of five meters (two accounts of two meters, one meter with no account) on a fresh database:
    /// answers that open and close relays (meters.relay_state, the relay-failure alarm), misses that turn meters offline,
    /// debits that drive the accounts into arrears (switch requests), and a top-up on another connection before the
    /// fourth. Through one PollWrites and ingestor, or a new ingestor for each write.
    /// </summary>
    async Task<(string[] State, long KeptBatches, bool Sqlite)> FeedAsync(bool keepState)
    {
        await using var database = await CreateDatabaseAsync();
        var db = database.Db;
        var (site, meters) = await SiteAsync(db);
        var status = new MeterStatusWriter(db, new DeviceEventBus(NullLogger<DeviceEventBus>.Instance), site.Time);
        var one = site.Ingestor;
        var oneWrites = new PollWrites(status, one, site.Time);
        var totals = new long[meters.Length];
        for (var k = 1; k <= 6; k++)
        {
            site.Time.Advance(TimeSpan.FromMinutes(15));
            var at = site.Time.GetUtcNow();
            if (k == 4)
            {
                // The pool lends the ingestor's last connection first: hold it, and top up on another.
                await using var held = await db.OpenAsync();
                await using var other = await db.OpenAsync();
                await TopUpAsync(db, other, site);
            }
            var outcomes = new List<PollOutcome>();
            var readings = new List<ReadingInput>();
            for (var i = 0; i < meters.Length; i++)
            {
                if ((k + i) % 5 == 0)
                {
                    outcomes.Add(Missed(meters[i]));
                    continue;
                }
                totals[i] += 10 * (1 + (i * 7 + k * 3) % 40);
                outcomes.Add(Answer(meters[i], totals[i], open: (k + i) % 3 == 0));
                readings.Add(new ReadingInput(meters[i], at, new Registers(totals[i] / 1000m)));
            }
            var writes = keepState ? oneWrites : new PollWrites(status, site.Ingestor, site.Time);
            await writes.WriteAsync(new LaneResult(outcomes, 1, readings));
        }
        return ([.. await site.LedgerAsync(), .. await StateAsync(db)], one.BatchesOnKeptState, db.Dialect is SqliteDialect);
    }

    /// <summary>What the ledger rows do not show: accounts' and meters' states, the outbox, the meter status, relays and device alarms.</summary>
    static async Task<string[]> StateAsync(Db db)
    {
        await using var connection = await db.OpenAsync();
        var accounts = await connection.QueryAsync<string>(
            "SELECT 'account ' || id || ' ' || state || ' ' || COALESCE(last_switch, '-') || ' ' || charge_arrears_fen FROM accounts ORDER BY id");
        var meters = await connection.QueryAsync<string>(
            "SELECT 'meter ' || meter_id || ' ' || exact_cost || ' ' || debited_fen || ' ' || last_at_ms || ' ' || last_total_milli || ' ' || seen_at_ms FROM account_meters ORDER BY id");
        var outbox = await connection.QueryAsync<string>("SELECT 'outbox ' || kind || ' ' || payload_json FROM outbox ORDER BY id");
        var status = await connection.QueryAsync<string>("""
            SELECT 'status ' || s.meter_id || ' ' || s.online || ' ' || s.missed_polls || ' ' || COALESCE(CAST(s.last_total_milli AS TEXT), '-') || ' ' ||
                COALESCE(CAST(s.switch_open AS TEXT), '-') || ' ' || COALESCE(CAST(s.switch_open_total_milli AS TEXT), '-') || ' ' || m.relay_state
            FROM meter_status s JOIN meters m ON m.id = s.meter_id ORDER BY s.meter_id
            """);
        var alarms = await connection.QueryAsync<string>(
            "SELECT 'alarm ' || meter_id || ' ' || kind || ' ' || raised_at_ms || ' ' || COALESCE(CAST(cleared_at_ms AS TEXT), 'open') FROM device_alarms ORDER BY id");
        return [.. accounts, .. meters, .. outbox, .. status, .. alarms];
    }

    /// <summary>Five meters: the first two on one account, the next two on another, the fifth with none; all on a flat 0.70.</summary>
    static async Task<(IngestSite Site, long[] Meters)> SiteAsync(Db db)
    {
        var site = await IngestSite.CreateAsync(db, Opened.AddDays(1));
        var tariff = await site.TariffAsync(Flat);
        var meters = new long[5];
        for (var i = 0; i < meters.Length; i++) meters[i] = await site.MeterAsync($"P{i}");
        await site.AccountAsync(Opened, (meters[0], tariff, false), (meters[1], tariff, false));
        await site.AccountAsync(Opened, (meters[2], tariff, false), (meters[3], tariff, false));
        return (site, meters);
    }

    /// <summary>A counter top-up of 30.00 to the first account, on the given connection.</summary>
    static async Task TopUpAsync(Db db, System.Data.Common.DbConnection connection, IngestSite site)
    {
        await using var tx = db.Dialect.BeginWrite(connection);
        var accountId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM accounts", transaction: tx);
        var outbox = new OutboxWriter();
        var (outcome, _) = await TopUpPosting.PostAsync(connection, tx, db.Dialect, accountId, new Money(3000), "cash",
            TopUpSource.Counter(accountId, "cash", "poll-writes"), null, site.Time.GetUtcNow(), outbox);
        Assert.Equal(TopUpOutcome.Posted, outcome);
        await outbox.FlushAsync(connection, tx, db.Dialect, CancellationToken.None);
        await tx.CommitAsync();
    }

    static LaneResult Lane(IReadOnlyList<PollOutcome> outcomes, IReadOnlyList<ReadingInput> readings) => new(outcomes, 3, readings);

    static PollOutcome Answer(long meterId, long totalMilli, bool? open = null) =>
        new(Meter(meterId), DeviceResult<MeterSnapshot>.Ok(new MeterSnapshot(totalMilli, null, open)));

    static PollOutcome Missed(long meterId) => new(Meter(meterId), DeviceResult<MeterSnapshot>.From(TransportReply.Failed(TransportStatus.Timeout, "no reply within the timeout")));

    static ConnectedMeter Meter(long meterId) => new(meterId, 1, 1, "1", "generic-modbus", "0.01");
}

/// <summary>The same on PostgreSQL: one transaction per joined write there too, every batch loading afresh; skipped unless PREPAID_TEST_POSTGRES is set.</summary>
public sealed class PostgresPollWritesTransactionTests : PollWritesTransactionTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
    protected override void SkipUnlessAvailable() => PostgresTestDatabase.ServerOrSkip();
}
