using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.TopUps;

public sealed record TopUpResult(long Id, long AccountId, string RequestHash, long AmountFen, long FeeFen, long CreditedFen, long BalanceAfterFen, string StateAfter);

public enum TopUpOutcome { Posted, Replayed, KeyReused, NoAccount, Closed }

/// <summary>
/// Where a top-up comes from, and so the scope of its key (<see cref="TransferKeys"/>): the counter's key is the
/// account's, a channel payment's is the channel's out_trade_no.
/// </summary>
public sealed record TopUpSource(string Name, string Key, string TransferKey, string? LegacyTransferKey)
{
    public const string CounterName = "counter";
    public const string PaymentName = "payment";

    public static TopUpSource Counter(long accountId, string channel, string key) =>
        new(CounterName, key, TransferKeys.CounterTopUp(accountId, key), TransferKeys.LegacyCounterTopUp(channel, key));

    public static TopUpSource Payment(string channel, string outTradeNo) =>
        new(PaymentName, outTradeNo, TransferKeys.ChannelTopUp(channel, outTradeNo), null);
}

/// <summary>
/// Credits a wallet (R15, R16) inside the caller's transaction under its source's key. The counter, the payment
/// notifications and the demo all credit through here, so a key credits once whoever sends it.
/// </summary>
public static class TopUpPosting
{
    public static async Task<(TopUpOutcome Outcome, TopUpResult? Result)> PostAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect,
        long accountId, Money amount, string channel, TopUpSource source, long? userId, DateTimeOffset now, OutboxWriter outbox)
    {
        var counter = source.Name == TopUpSource.CounterName;
        if (!(counter ? SiteLedger.CounterChannels : SiteLedger.PaymentChannels).Contains(channel))
            throw new ArgumentException($"A {source.Name} top-up cannot come by {channel}.", nameof(channel));
        var hash = Auth.Passwords.Sha256Hex($"{accountId}|{amount.Fen}|{channel}");
        // Counter top-ups stored before migration 0005 carry the old key form: a retry of one finds it there and credits once.
        var existing = await connection.QueryFirstOrDefaultAsync<TopUpResult>("""
            SELECT id, account_id, request_hash, amount_fen, fee_fen, credited_fen, balance_after_fen, state_after
            FROM topups
            WHERE transfer_key = @TransferKey OR (transfer_key = @LegacyTransferKey AND source = 'counter' AND account_id = @accountId)
            ORDER BY id
            """, new { source.TransferKey, source.LegacyTransferKey, accountId }, tx);
        if (existing is not null) return (existing.RequestHash == hash ? TopUpOutcome.Replayed : TopUpOutcome.KeyReused, existing);

        var accounts = await AccountRuntime.LoadAsync(connection, tx, dialect, [accountId]);
        if (!accounts.TryGetValue(accountId, out var account)) return (TopUpOutcome.NoAccount, null);
        if (account.Closed) return (TopUpOutcome.Closed, null);
        var site = (await SiteRuntime.LoadAsync(connection, tx, account.SiteId))!;
        var ledger = new LedgerWriter(connection, tx, dialect);
        var clearing = site.LedgerIds[SiteLedger.Clearing(channel)];
        await ledger.LoadAsync([account.WalletLedgerId, clearing, site.LedgerIds[SiteLedger.FeeIncome]]);

        // R15: the fee is skimmed on top-up; both legs share the transfer's key.
        var (fee, credited) = TopUpSplit.Of(amount, account.FeeRate);
        var transferKey = source.TransferKey;
        var atMs = now.ToUnixTimeMilliseconds();
        var before = new Money(ledger.Balance(account.WalletLedgerId));
        if (credited.Fen > 0) ledger.Post(transferKey, 0, "topup", atMs, accountId, null, clearing, account.WalletLedgerId, credited.Fen);
        if (fee.Fen > 0) ledger.Post(transferKey, 1, "fee", atMs, accountId, null, clearing, site.LedgerIds[SiteLedger.FeeIncome], fee.Fen);
        var after = new Money(ledger.Balance(account.WalletLedgerId));
        var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @accountId AND closed_at_ms IS NULL ORDER BY meter_id",
            new { accountId }, tx)).ToList();
        account.AfterPosting(site, before, after, now, meterIds, outbox);

        var state = ApiFormat.State(account.State);
        var id = await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("topups",
            "account_id, channel, source, idempotency_key, transfer_key, request_hash, amount_fen, fee_fen, credited_fen, balance_after_fen, state_after, user_id, at_ms",
            "@accountId, @channel, @source, @key, @transferKey, @hash, @amount, @fee, @credited, @after, @state, @userId, @atMs"),
            new
            {
                accountId, channel, source = source.Name, key = source.Key, transferKey, hash, amount = amount.Fen, fee = fee.Fen, credited = credited.Fen,
                after = after.Fen, state, userId, atMs,
            }, tx);
        await ledger.FlushAsync(CancellationToken.None);
        await AccountRuntime.SaveAsync(connection, tx, [account]);
        return (TopUpOutcome.Posted, new TopUpResult(id, accountId, hash, amount.Fen, fee.Fen, credited.Fen, after.Fen, state));
    }
}
