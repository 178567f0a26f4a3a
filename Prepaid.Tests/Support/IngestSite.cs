using Dapper;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;

namespace Prepaid.Tests.Support;

/// <summary>
/// A site built straight on the data layer for ingest properties: tariffs given as stored JSON, meters with their own
/// spec, accounts of several meters. Deterministic, so two sites built alike have the same ids.
/// </summary>
public sealed class IngestSite(Db db, long siteId, FakeTimeProvider time)
{
    public Db Db { get; } = db;
    public FakeTimeProvider Time { get; } = time;
    public ReadingIngestor Ingestor => new(Db, Time, new PostingEventBus());

    public static async Task<IngestSite> CreateAsync(Db db, DateTimeOffset now)
    {
        await using var connection = await db.OpenAsync();
        await using var tx = db.Dialect.BeginWrite(connection);
        var siteId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("sites", "name, time_zone, created_at_ms", "'Test', 'Asia/Shanghai', 0"), transaction: tx);
        await SiteLedger.EnsureAsync(connection, tx, db.Dialect, siteId);
        await tx.CommitAsync();
        return new IngestSite(db, siteId, new FakeTimeProvider(now));
    }

    public async Task<long> TariffAsync(string versionsJson)
    {
        await using var connection = await Db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(Db.Dialect.InsertReturningId("tariffs", "site_id, name, utility, versions_json, created_at_ms",
            "@siteId, 'T', 'electricity', @versionsJson, 0"), new { siteId, versionsJson });
    }

    public async Task<long> MeterAsync(string serial, string ratedMaxPerHour = "1000", string multiplier = "1", string registerMax = "1000000")
    {
        await using var connection = await Db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(Db.Dialect.InsertReturningId("meters",
            "site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms",
            "@siteId, @serial, 'electricity', @multiplier, @registerMax, @ratedMaxPerHour, '0.01', 0"),
            new { siteId, serial, multiplier, registerMax, ratedMaxPerHour });
    }

    /// <summary>Opens an account of the given meters, each from a zero reading (with zero period registers when asked).</summary>
    public async Task<(long AccountId, long WalletLedgerId)> AccountAsync(DateTimeOffset opened, params (long MeterId, long TariffId, bool Periods)[] meters)
    {
        await using var connection = await Db.OpenAsync();
        await using var tx = Db.Dialect.BeginWrite(connection);
        var tenantId = await connection.ExecuteScalarAsync<long>(Db.Dialect.InsertReturningId("tenants", "name, phone, created_at_ms", "'T', '13800000000', 0"), transaction: tx);
        var (accountId, refusal) = await AccountOpening.OpenAsync(connection, tx, Db.Dialect, new OpenAccountRequest(tenantId, null,
            meters.Select(m => new AccountMeterDto(m.MeterId, m.TariffId, new OpeningReadingDto(opened.ToString("O"),
                m.Periods ? new RegistersDto("0", "0", "0", "0", "0") : new RegistersDto("0", null, null, null, null)))).ToList(),
            "20.00", "10.00", null, null, null), 0);
        Assert.Null(refusal);
        var wallet = await connection.ExecuteScalarAsync<long>("SELECT wallet_ledger_id FROM accounts WHERE id = @accountId", new { accountId }, tx);
        await tx.CommitAsync();
        return (accountId, wallet);
    }

    /// <summary>The ledger as rows to compare: every line (ledger_lines) by key (a reading's own line's is its reading's) and leg, every wallet's balance, every stored reading's outcome.</summary>
    public async Task<string[]> LedgerAsync()
    {
        await using var connection = await Db.OpenAsync();
        var postings = await connection.QueryAsync<string>("""
            SELECT posting_key || '/' || leg || ' ' || debit_ledger_id || '>' || credit_ledger_id || ' ' || amount_fen
            FROM (SELECT COALESCE(transfer_key, 'reading:' || meter_id || ':' || at_ms) AS posting_key, * FROM ledger_lines) AS p ORDER BY posting_key, leg
            """);
        var balances = await connection.QueryAsync<string>("SELECT 'ledger ' || id || ' = ' || balance_fen FROM ledger_accounts ORDER BY id");
        var readings = await connection.QueryAsync<string>("""
            SELECT 'reading ' || meter_id || '@' || at_ms || ' ' || status || ' ' || COALESCE(CAST(amount_fen AS TEXT), '-') FROM readings ORDER BY meter_id, at_ms
            """);
        return postings.Concat(balances).Concat(readings).ToArray();
    }
}
