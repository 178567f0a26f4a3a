using Dapper;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Api.TopUps;
using Prepaid.Engine;

namespace Prepaid.Tests.Support;

/// <summary>A site built straight on the data layer (no HTTP): meters on a TOU tariff split by time, one account each.</summary>
public sealed class BillingSite
{
    public static readonly DateTimeOffset Opened = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
    public required Db Db { get; init; }
    public required long[] MeterIds { get; init; }
    public required long[] AccountIds { get; init; }
    public required FakeTimeProvider Time { get; init; }
    public ReadingIngestor Ingestor => new(Db, Time, new PostingEventBus());

    public static async Task<BillingSite> CreateAsync(Db db, int meters)
    {
        await using var connection = await db.OpenAsync();
        await using var tx = db.Dialect.BeginWrite(connection);
        var siteId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("sites", "name, time_zone, created_at_ms", "'Test', 'Asia/Shanghai', 0"), transaction: tx);
        await SiteLedger.EnsureAsync(connection, tx, db.Dialect, siteId);
        var tariffId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tariffs", "site_id, name, utility, versions_json, created_at_ms",
            "@siteId, 'TOU', 'electricity', @json, 0"), new
            {
                siteId, json = """
                [{"effectiveFrom":"2026-01-01T00:00:00+08:00","kind":"tou","prices":{"sharp":"1.1012","peak":"0.9863","flat":"0.6853","valley":"0.3211"},
                  "segments":[{"from":"00:00","to":"08:00","period":"valley"},{"from":"08:00","to":"10:00","period":"flat"},{"from":"10:00","to":"12:00","period":"sharp"},
                              {"from":"12:00","to":"18:00","period":"peak"},{"from":"18:00","to":"00:00","period":"flat"}]}]
                """,
            }, tx);
        var meterIds = new long[meters];
        var accountIds = new long[meters];
        for (var i = 0; i < meters; i++)
        {
            meterIds[i] = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("meters",
                "site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms",
                "@siteId, @serial, 'electricity', '1', '1000000', '1000', '0.01', 0"), new { siteId, serial = $"T{i}" }, tx);
            var tenantId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("tenants", "name, phone, created_at_ms", "'T', '13800000000', 0"), transaction: tx);
            var (accountId, refusal) = await AccountOpening.OpenAsync(connection, tx, db.Dialect, new OpenAccountRequest(tenantId, null,
                [new AccountMeterDto(meterIds[i], tariffId, new OpeningReadingDto(Opened.ToString("O"), new RegistersDto("0", null, null, null, null)))],
                "20.00", "10.00", null, null, "0.05"), 0);
            Assert.Null(refusal);
            accountIds[i] = accountId;
        }
        await tx.CommitAsync();
        return new BillingSite { Db = db, MeterIds = meterIds, AccountIds = accountIds, Time = new FakeTimeProvider(Opened.AddDays(20)) };
    }

    public async Task TopUpAsync(int account, long fen, string key)
    {
        await using var connection = await Db.OpenAsync();
        await using var tx = Db.Dialect.BeginWrite(connection);
        var outbox = new OutboxWriter();
        var (outcome, _) = await TopUpPosting.PostAsync(connection, tx, Db.Dialect, AccountIds[account], new Money(fen), "cash",
            TopUpSource.Counter(AccountIds[account], "cash", key), null, Time.GetUtcNow(), outbox);
        Assert.Equal(TopUpOutcome.Posted, outcome);
        await outbox.FlushAsync(connection, tx, Db.Dialect, CancellationToken.None);
        await tx.CommitAsync();
    }

    public async Task<long[]> BalancesAsync()
    {
        await using var connection = await Db.OpenAsync();
        var balances = new long[AccountIds.Length];
        for (var i = 0; i < AccountIds.Length; i++)
            balances[i] = await connection.ExecuteScalarAsync<long>(
                "SELECT l.balance_fen FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @id", new { id = AccountIds[i] });
        return balances;
    }
}
