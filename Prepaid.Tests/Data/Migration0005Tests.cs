using Dapper;
using Microsoft.Data.Sqlite;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Orders;
using Prepaid.Api.Payments.Refunds;
using Prepaid.Api.TopUps;
using Prepaid.Engine;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>
/// A database written before migration 0005 (old top-up keys, no refunds-pending account, a refund not yet held)
/// upgrades with its postings valid (R22), its old keys as they were, and its old requests still idempotent.
/// </summary>
public class Migration0005Tests
{
    static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.FromHours(8));

    // One site, one wallet: a cashier's 100.00 cash (key till-1), a 50.00 Alipay payment, a cashier's 0.01 typed with the
    // channel alipay and a pending order's number (the hole the scoped keys close), and a 10.00 refund still pending.
    const string OldData = """
        INSERT INTO sites (id, name, time_zone, created_at_ms) VALUES (1, 'Old mall', 'Asia/Shanghai', 0);
        INSERT INTO ledger_accounts (id, site_id, kind, account_id, balance_fen) VALUES
            (1, 1, 'revenue_electricity', NULL, 0), (2, 1, 'revenue_water', NULL, 0), (3, 1, 'revenue_heat', NULL, 0), (4, 1, 'fee_income', NULL, 0),
            (5, 1, 'common_area', NULL, 0), (6, 1, 'rent_income', NULL, 0), (7, 1, 'refunds_payable', NULL, 0), (8, 1, 'clearing_cash', NULL, -10000),
            (9, 1, 'clearing_bank', NULL, 0), (10, 1, 'clearing_alipay', NULL, -5001), (11, 1, 'clearing_wechat', NULL, 0), (12, 1, 'wallet', 1, 15001);
        INSERT INTO tenants (id, name, phone, created_at_ms) VALUES (1, 'Tea shop', '13900000001', 0);
        INSERT INTO accounts (id, site_id, tenant_id, wallet_ledger_id, alarm1_fen, alarm2_fen, overdraft_fen, reconnect_fen, fee_rate, state, opened_at_ms)
            VALUES (1, 1, 1, 12, 2000, 1000, 0, 0, '0', 'normal', 0);
        INSERT INTO topups (id, account_id, channel, idempotency_key, request_hash, amount_fen, fee_fen, credited_fen, balance_after_fen, state_after, user_id, at_ms) VALUES
            (1, 1, 'cash', 'till-1', @cashHash, 10000, 0, 10000, 10000, 'normal', 7, 1),
            (2, 1, 'alipay', 'PPPAID00000001', 'h2', 5000, 0, 5000, 15000, 'normal', NULL, 2),
            (3, 1, 'alipay', 'PPTAKEN0000001', 'h3', 1, 0, 1, 15001, 'normal', 7, 3);
        INSERT INTO postings (transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen) VALUES
            ('topup:cash:till-1', 0, 'topup', 1, 1, NULL, 8, 12, 10000, -10000, 10000),
            ('topup:alipay:PPPAID00000001', 0, 'topup', 2, 1, NULL, 10, 12, 5000, -5000, 15000),
            ('topup:alipay:PPTAKEN0000001', 0, 'topup', 3, 1, NULL, 10, 12, 1, -5001, 15001);
        INSERT INTO payment_orders (id, out_trade_no, account_id, amount_fen, channel, method, state, created_at_ms, expires_at_ms, topup_id) VALUES
            (1, 'PPPAID00000001', 1, 5000, 'alipay', 'qr', 'paid', 0, 900000, 2),
            (2, 'PPTAKEN0000001', 1, 2500, 'alipay', 'qr', 'pending', 0, 900000, NULL);
        INSERT INTO payment_refunds (id, order_id, account_id, out_refund_no, idempotency_key, request_hash, amount_fen, state, created_at_ms)
            VALUES (1, 1, 1, 'RFOLD000000001', 'r', 'h', 1000, 'pending', 4);
        """;

    static async Task<SqliteTestDatabase> OldDatabaseAsync()
    {
        // The shipped scripts before 0005, applied from a folder of their own.
        var before = Directory.CreateTempSubdirectory("prepaid-before-0005-").FullName;
        Directory.CreateDirectory(Path.Combine(before, "sqlite"));
        foreach (var script in Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, "sqlite"), "*.sql")
                     .Where(f => long.Parse(Path.GetFileName(f).Split('_')[0]) < 5))
            File.Copy(script, Path.Combine(before, "sqlite", Path.GetFileName(script)));
        var test = await SqliteTestDatabase.CreateEmptyAsync();
        await Migrator.ApplyAsync(test.Db, before, 0);
        Directory.Delete(before, recursive: true);
        await using var connection = await test.Db.OpenAsync();
        await connection.ExecuteAsync(OldData, new { cashHash = Passwords.Sha256Hex("1|10000|cash") });
        return test;
    }

    static Task<T> WriteAsync<T>(Db db, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, OutboxWriter, Task<T>> work) =>
        PostingWrites.RunAsync(db, new PostingEventBus(), work, CancellationToken.None);

    [Fact]
    public async Task Migration0005_KeepsOldKeysAndPostingsValid_AddsTheNewLedgerAccounts_R21_R22_R25()
    {
        await using var test = await OldDatabaseAsync();
        // The old database stops at 0004: 0005 is the first script applied (later ones follow it).
        Assert.Equal("0005_refund_holds_and_topup_keys.sql", (await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0)).First());
        Assert.All(await LedgerCheck.RunAsync(test.Db), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));

        await using var connection = await test.Db.OpenAsync();
        var kinds = (await connection.QueryAsync<string>("SELECT kind FROM ledger_accounts WHERE site_id = 1 AND account_id IS NULL")).ToHashSet();
        Assert.Contains(SiteLedger.RefundsPending, kinds);
        Assert.Contains(SiteLedger.Clearing("card"), kinds);
        var topups = (await connection.QueryAsync<(long Id, string Source, string TransferKey)>("SELECT id, source, transfer_key FROM topups ORDER BY id")).ToList();
        Assert.Equal([(1L, "counter", "topup:cash:till-1"), (2L, "payment", "topup:alipay:PPPAID00000001"), (3L, "counter", "topup:alipay:PPTAKEN0000001")], topups);
        Assert.Null(await connection.ExecuteScalarAsync<long?>("SELECT held_at_ms FROM payment_refunds WHERE id = 1"));
    }

    [Fact]
    public async Task AfterMigration0005_OldRequestsStayIdempotent_AndATakenOrderKeyIsNotCreditedAsTheTypedAmount_R21()
    {
        await using var test = await OldDatabaseAsync();
        await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0);

        // The cashier's retry of till-1, sent across the upgrade, finds its first attempt: nothing more is credited.
        var (retry, _) = await WriteAsync(test.Db, (c, tx, outbox) => TopUpPosting.PostAsync(c, tx, test.Db.Dialect, 1, new Money(10000), "cash",
            TopUpSource.Counter(1, "cash", "till-1"), 7, Now, outbox));
        Assert.Equal(TopUpOutcome.Replayed, retry);
        // The old Alipay payment is still its order's credit.
        var (paid, _) = await WriteAsync(test.Db, (c, tx, outbox) => PaymentCredit.ApplyAsync(c, tx, test.Db.Dialect, "PPPAID00000001", null, "query", Now, outbox));
        Assert.Equal(CreditOutcome.AlreadyCredited, paid);
        // The order whose number a cashier once typed: its key is taken by 0.01, so it is not marked paid with that.
        var (taken, _) = await WriteAsync(test.Db, (c, tx, outbox) => PaymentCredit.ApplyAsync(c, tx, test.Db.Dialect, "PPTAKEN0000001", null, "query", Now, outbox));
        Assert.Equal(CreditOutcome.KeyTaken, taken);

        await using var connection = await test.Db.OpenAsync();
        Assert.Equal("pending", await connection.ExecuteScalarAsync<string>("SELECT state FROM payment_orders WHERE id = 2"));
        Assert.Equal(15001L, await connection.ExecuteScalarAsync<long>("SELECT balance_fen FROM ledger_accounts WHERE id = 12"));
        Assert.All(await LedgerCheck.RunAsync(test.Db), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }

    [Fact]
    public async Task AfterMigration0005_ARefundPendingFromBefore_IsHeldAndPaidWhenTheChannelConfirms_R25()
    {
        await using var test = await OldDatabaseAsync();
        await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0);
        Assert.Equal(PaymentRefund.Succeeded, await RefundSettlement.SettleAsync(test.Db, new PostingEventBus(), "RFOLD000000001", "2088:RFOLD000000001", true,
            null, Now, CancellationToken.None));

        await using var connection = await test.Db.OpenAsync();
        Assert.Equal(14001L, await connection.ExecuteScalarAsync<long>("SELECT balance_fen FROM ledger_accounts WHERE id = 12"));
        var keys = (await connection.QueryAsync<string>("SELECT transfer_key FROM postings WHERE transfer_key LIKE 'refund%' ORDER BY id")).ToList();
        Assert.Equal(["refund:alipay:RFOLD000000001", "refund-paid:alipay:RFOLD000000001"], keys);
        Assert.Equal(1000L, await connection.ExecuteScalarAsync<long>("SELECT refunded_fen FROM payment_orders WHERE id = 1"));
        Assert.All(await LedgerCheck.RunAsync(test.Db), c => Assert.True(c.Holds, $"{c.Name}: {c.Detail}"));
    }
}
