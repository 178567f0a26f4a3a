using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// A database from before migration 0023 stored a consumption posting's key as text (reading:&lt;meter&gt;:&lt;instant&gt;);
/// after it, that posting stores none (its reading's key is the key), every other posting keeps its own, and the
/// ledger check still holds (R21, R22).
/// </summary>
public class Migration0023Tests
{
    // One site, one wallet on one meter: a 10.00 cash top-up, then two billed readings debiting 1.20 and 0.35.
    const string OldData = """
        INSERT INTO sites (id, name, time_zone, created_at_ms) VALUES (1, 'Old mall', 'Asia/Shanghai', 0);
        INSERT INTO ledger_accounts (id, site_id, kind, account_id, balance_fen) VALUES
            (1, 1, 'revenue_electricity', NULL, 155), (8, 1, 'clearing_cash', NULL, -1000), (12, 1, 'wallet', 1, 845);
        INSERT INTO tenants (id, name, phone, created_at_ms) VALUES (1, 'Tea shop', '13900000001', 0);
        INSERT INTO accounts (id, site_id, tenant_id, wallet_ledger_id, alarm1_fen, alarm2_fen, overdraft_fen, reconnect_fen, fee_rate, state, opened_at_ms)
            VALUES (1, 1, 1, 12, 200, 100, 0, 0, '0', 'normal', 0);
        INSERT INTO meters (id, site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms)
            VALUES (5, 1, 'E-5', 'electricity', '1', '1000000', '16.56', '0.01', 0);
        INSERT INTO readings (meter_id, at_ms, total_milli, status, amount_fen, received_at_ms) VALUES
            (5, 1000, 0, 'baseline', NULL, 1000), (5, 2000, 1200, 'billed', 120, 2000), (5, 3000, 1550, 'billed', 35, 3000);
        INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen) VALUES
            ('topup:counter:1:till-1', 0, 'topup', 500, 1, NULL, 8, 12, 1000, -1000, 1000),
            ('reading:5:2000', 0, 'consumption', 2000, 1, 5, 12, 1, 120, 880, 120),
            ('reading:5:3000', 0, 'consumption', 3000, 1, 5, 12, 1, 35, 845, 155);
        """;

    static async Task<IReadOnlyList<string>> MigrateOldAsync(Db db)
    {
        var before = Directory.CreateTempSubdirectory("prepaid-before-0023-").FullName;
        var dialect = db.Dialect.Name;
        Directory.CreateDirectory(Path.Combine(before, dialect));
        foreach (var script in Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, dialect), "*.sql")
                     .Where(f => long.Parse(Path.GetFileName(f).Split('_')[0]) < 23))
            File.Copy(script, Path.Combine(before, dialect, Path.GetFileName(script)));
        await Migrator.ApplyAsync(db, before, 0);
        Directory.Delete(before, recursive: true);
        await using (var connection = await db.OpenAsync())
            await connection.ExecuteAsync(OldData);
        return await Migrator.ApplyAsync(db, TestDatabase.MigrationsRoot, 0);
    }

    static async Task AssertConvertedAsync(Db db)
    {
        await using var connection = await db.OpenAsync();
        var postings = (await connection.QueryAsync<(string? Key, string Kind, long? MeterId, long AtMs, long AmountFen)>(
            "SELECT transfer_key, kind, meter_id, at_ms, amount_fen FROM postings ORDER BY id")).ToList();
        Assert.Equal([("topup:counter:1:till-1", "topup", null, 500L, 1000L), (null, "consumption", 5L, 2000L, 120L), (null, "consumption", 5L, 3000L, 35L)],
            postings.Select(p => (p.Key, p.Kind, p.MeterId, p.AtMs, p.AmountFen)));
        Assert.Equal(["topup:counter:1:till-1", "reading:5:2000", "reading:5:3000"], postings.Select(p => TransferKeys.Of(p.Key, p.MeterId, p.AtMs)));
        // The checks that read keys hold on the converted rows (the meter checks need account meters, which this data has none of).
        var checks = await LedgerCheck.RunAsync(db);
        foreach (var name in new[] { "debits equal credits", "stored balances equal postings", "idempotency keys unique", "consumption postings have their billed reading" })
            Assert.True(checks.Single(c => c.Name == name).Holds, $"{name}: {checks.Single(c => c.Name == name).Detail}");
        // A stored key is still unique.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync(
            "INSERT INTO postings (transfer_key, leg, kind, at_ms, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen) VALUES ('topup:counter:1:till-1', 0, 'topup', 500, 8, 12, 1, 0, 0)"));
    }

    [Fact]
    public async Task Migration0023_Sqlite_DropsConsumptionKeys_KeepsOthers_R21_R22()
    {
        await using var test = await SqliteTestDatabase.CreateEmptyAsync();
        Assert.Equal("0023_keyless_consumption_postings.sql", (await MigrateOldAsync(test.Db)).First());
        await AssertConvertedAsync(test.Db);
    }

    [Fact]
    public async Task Migration0023_Postgres_DropsConsumptionKeys_KeepsOthers_R21_R22()
    {
        await using var test = await PostgresTestDatabase.CreateEmptyAsync();
        Assert.Equal("0023_keyless_consumption_postings.sql", (await MigrateOldAsync(test.Db)).First());
        await AssertConvertedAsync(test.Db);
    }
}
