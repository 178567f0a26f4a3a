using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Data;
using Prepaid.Api.Estimates;
using Prepaid.Api.Ledger;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// Before migration 0025 every billed reading's debit was also a keyless consumption posting; after it the reading row is
/// the line (view ledger_lines) and those postings are gone. A shop billed by ten real readings, two estimates and a real
/// reading that supersedes them (R30, its difference keyed reestimate:…) is put back in the 0024 form — its readings'
/// lines as keyless postings, no view — and migrated again: the postings are gone and the ledger view, the statement
/// (lines and balances) and every ledger check are what they were (R21, R22, R36).
/// </summary>
public class Migration0025Tests
{
    static readonly TimeSpan China = TimeSpan.FromHours(8);

    static string At(int day, int hour) => new DateTimeOffset(2026, 11, day, hour, 0, 0, China).ToString("yyyy-MM-dd'T'HH:mm:sszzz");

    sealed record Views(string Ledger, string Statement, string Days, string Checks);

    static async Task<Views> ViewsAsync(PrepaidApp app, long accountId)
    {
        var admin = await app.AdminAsync();
        var ledger = await admin.GetOkAsync($"/api/accounts/{accountId}/ledger?limit=500");
        var statement = await admin.GetOkAsync($"/api/accounts/{accountId}/statements?from=2026-11-01&to=2026-11-20");
        var days = await admin.GetOkAsync($"/api/accounts/{accountId}/statements?from=2026-11-01&to=2026-11-20&group=day");
        var checks = await LedgerCheck.RunAsync(app.Services.GetRequiredService<Db>());
        Assert.All(checks, c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
        return new Views(ledger.GetRawText(), statement.GetRawText(), days.GetRawText(), JsonSerializer.Serialize(checks));
    }

    static async Task RoundTripAsync(Func<PrepaidApp> start, Db db)
    {
        long accountId;
        Views before;
        using (var app = start())
        {
            var admin = await app.AdminAsync();
            var site = await new SiteBuilder(admin).SiteAsync();
            var tariff = await site.FlatTariffAsync("1.0000");
            var meter = await site.MeterAsync("E-1");
            accountId = (await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "100.00")], "2026-11-01T00:00:00+08:00")).Id();
            await site.TopUpAsync(accountId, "200.00", "opening");
            for (var d = 1; d <= 10; d++)
                await site.ReadingsAsync(new { meterId = meter, at = At(1 + d, 0), registers = new { total = (100 + 10 * d).ToString() } });
            Assert.Equal(2, await app.Services.GetRequiredService<DailyEstimates>().RunAsync(new DateTimeOffset(2026, 11, 14, 0, 30, 0, China)));
            await site.ReadingsAsync(new { meterId = meter, at = At(14, 12), registers = new { total = "235" } });
            await site.TopUpAsync(accountId, "5.00", "later");
            before = await ViewsAsync(app, accountId);
        }
        SqliteConnection.ClearAllPools();

        // The 0024 form: each reading's line a keyless consumption posting, the readings carrying the same amounts, no view.
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen)
                SELECT NULL, 0, 'consumption', at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, 0, 0 FROM ledger_lines WHERE id < 0 ORDER BY id DESC;
                DROP VIEW ledger_lines;
                DELETE FROM schema_version WHERE version = 25;
                """);
            Assert.Equal(12, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM postings WHERE transfer_key IS NULL AND kind = 'consumption'"));
            // The ledger of 0024 was sound: each stored balance is its postings (the readings' debits among them).
            var unbalanced = await connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM ledger_accounts l
                WHERE l.balance_fen <> COALESCE((SELECT SUM(amount_fen) FROM postings WHERE credit_ledger_id = l.id), 0)
                                     - COALESCE((SELECT SUM(amount_fen) FROM postings WHERE debit_ledger_id = l.id), 0)
                """);
            Assert.Equal(0, unbalanced);
        }

        Assert.Equal(["0025_ledger_lines.sql"], await Migrator.ApplyAsync(db, TestDatabase.MigrationsRoot, 0));
        await using (var connection = await db.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM postings WHERE transfer_key IS NULL"));
            Assert.Equal(["reestimate", "topup", "topup"],
                (await connection.QueryAsync<string>("SELECT kind FROM postings ORDER BY kind")).ToArray());
        }
        using (var app = start())
        {
            var after = await ViewsAsync(app, accountId);
            Assert.Equal(before.Ledger, after.Ledger);
            Assert.Equal(before.Statement, after.Statement);
            Assert.Equal(before.Days, after.Days);
            Assert.Equal(before.Checks, after.Checks);
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Migration0025_Sqlite_KeylessConsumptionPostingsGo_LedgerStatementAndChecksStay_R21_R22_R36()
    {
        await using var test = await SqliteTestDatabase.CreateEmptyAsync();
        await RoundTripAsync(() => new PrepaidApp("sqlite", $"Data Source={test.Path}"), test.Db);
    }

    [Fact]
    public async Task Migration0025_Postgres_KeylessConsumptionPostingsGo_LedgerStatementAndChecksStay_R21_R22_R36()
    {
        await using var test = await PostgresTestDatabase.CreateEmptyAsync();
        await RoundTripAsync(() => new PrepaidApp("postgres", test.ConnectionString), test.Db);
    }
}
