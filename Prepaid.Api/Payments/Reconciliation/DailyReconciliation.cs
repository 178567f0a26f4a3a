using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Payments.Channels;
using Prepaid.Api.Payments.Orders;

namespace Prepaid.Api.Payments.Reconciliation;

public sealed record ReconciliationRow(string Kind, string OutTradeNo, long AccountId, string OrderState, long OrderFen, string ChannelState,
    long? ChannelFen, long? CreditedFen, string? Detail);

public sealed record ReconciliationReport(long Id, string Channel, string Day, int Orders, long CreatedAtMs, IReadOnlyList<ReconciliationRow> Rows);

/// <summary>
/// Compares one channel's records for one China day with the ledger: every order created that day is asked about at
/// the channel (our clients have no bill download; the query answers per order) and set against its top-up.
/// Lists paid-but-not-credited, credited-but-not-paid and amount mismatches (and orders the channel could not be
/// asked about), and every refund of the channel requested by the day's end that the channel has not yet confirmed
/// or refused (R25: its amount sits in refunds pending); each run is stored.
/// </summary>
public sealed class DailyReconciliation(IServiceProvider services, Db db, TimeProvider time, ILogger<DailyReconciliation> logger)
{
    public const string PaidNotCredited = "paid_not_credited";
    public const string CreditedNotPaid = "credited_not_paid";
    public const string AmountMismatch = "amount_mismatch";
    public const string QueryFailed = "query_failed";
    public const string RefundPending = "refund_pending";

    public async Task<ReconciliationReport?> RunAsync(string channelName, DateOnly day, CancellationToken ct)
    {
        var channel = PaymentChannels.Find(services, channelName);
        if (channel is null) return null;
        var (fromMs, toMs) = PaymentClock.DayRange(day);
        await using var connection = await db.OpenAsync(ct);
        var orders = await PaymentOrder.CreatedBetweenAsync(connection, channelName, fromMs, toMs);
        // What the ledger holds for these orders: each one's own channel top-up (a counter top-up typed with an
        // order's number is not it).
        var credits = (await connection.QueryAsync<(string Key, long AmountFen)>(
            """
            SELECT t.idempotency_key, t.amount_fen FROM payment_orders o
            JOIN topups t ON t.source = 'payment' AND t.channel = o.channel AND t.idempotency_key = o.out_trade_no
            WHERE o.channel = @channelName AND o.created_at_ms >= @fromMs AND o.created_at_ms < @toMs
            """, new { channelName, fromMs, toMs })).ToDictionary(t => t.Key, t => t.AmountFen);

        var rows = new List<ReconciliationRow>();
        foreach (var o in orders)
        {
            ChannelTrade trade;
            try
            {
                trade = await channel.QueryAsync(o.OutTradeNo, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unknown is not "not paid": say so rather than guess a difference.
                logger.LogWarning(e, "Reconciliation: could not query {OutTradeNo}", o.OutTradeNo);
                rows.Add(new(QueryFailed, o.OutTradeNo, o.AccountId, o.State, o.AmountFen, "unknown", null,
                    credits.TryGetValue(o.OutTradeNo, out var k) ? k : null, e.Message));
                continue;
            }
            long? credited = credits.TryGetValue(o.OutTradeNo, out var c) ? c : null;
            // Alipay closes a trade once all of it went back: paid, then refunded in full, is no difference.
            var paid = trade.State == ChannelTradeState.Paid
                || (trade.State == ChannelTradeState.Closed && o.State == PaymentOrder.Paid && o.RefundedFen == o.AmountFen);
            ReconciliationRow Row(string kind, string detail) =>
                new(kind, o.OutTradeNo, o.AccountId, o.State, o.AmountFen, trade.RawState, trade.AmountFen, credited, detail);

            if (paid && credited is null) rows.Add(Row(PaidNotCredited, "The channel has the money; the wallet was not credited."));
            else if (!paid && credited is not null) rows.Add(Row(CreditedNotPaid, "The wallet was credited; the channel shows no payment."));
            else if (paid && (trade.AmountFen != o.AmountFen || credited != o.AmountFen))
                rows.Add(Row(AmountMismatch, $"order {o.AmountFen} fen, channel {trade.AmountFen} fen, credited {credited} fen."));
        }

        rows.AddRange(await PendingRefundsAsync(connection, channelName, toMs));

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("payment_reconciliations",
            "channel, day, orders, differences, created_at_ms", "@channelName, @day, @orders, @differences, @nowMs"),
            new { channelName, day = PaymentClock.Day(day), orders = orders.Count, differences = rows.Count, nowMs }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO payment_reconciliation_rows (reconciliation_id, kind, out_trade_no, account_id, order_state, order_fen, channel_state, channel_fen, credited_fen, detail)
            VALUES (@id, @Kind, @OutTradeNo, @AccountId, @OrderState, @OrderFen, @ChannelState, @ChannelFen, @CreditedFen, @Detail)
            """, rows.Select(r => new { id, r.Kind, r.OutTradeNo, r.AccountId, r.OrderState, r.OrderFen, r.ChannelState, r.ChannelFen, r.CreditedFen, r.Detail }), tx);
        await tx.CommitAsync(ct);
        return new ReconciliationReport(id, channelName, PaymentClock.Day(day), orders.Count, nowMs, rows);
    }

    static async Task<IEnumerable<ReconciliationRow>> PendingRefundsAsync(DbConnection connection, string channelName, long toMs)
    {
        var refunds = await connection.QueryAsync<(string OutRefundNo, long AmountFen, long CreatedAtMs, long? HeldAtMs, string OutTradeNo, long AccountId,
            string OrderState, long OrderFen)>(
            """
            SELECT r.out_refund_no, r.amount_fen, r.created_at_ms, r.held_at_ms, o.out_trade_no, o.account_id, o.state, o.amount_fen
            FROM payment_refunds r JOIN payment_orders o ON o.id = r.order_id
            WHERE o.channel = @channelName AND r.state = 'pending' AND r.created_at_ms < @toMs
            ORDER BY r.id
            """, new { channelName, toMs });
        return refunds.Select(r =>
        {
            var asked = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs).ToOffset(PaymentClock.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var where = r.HeldAtMs is null ? "still in the wallet (requested before refunds were held)" : "held in refunds pending";
            return new ReconciliationRow(RefundPending, r.OutTradeNo, r.AccountId, r.OrderState, r.OrderFen, "refund unconfirmed", null, null,
                $"Refund {r.OutRefundNo} of {ApiFormat.Amount(r.AmountFen)} asked {asked} (China time) is {where}: the channel has not confirmed or refused it.");
        });
    }

    /// <summary>
    /// The newest stored run for a channel and day. With <paramref name="sites"/> (a site-scoped reader's sites as a JSON
    /// array) only the rows of accounts of those sites, and <c>Orders</c> counts only those sites' orders the run saw.
    /// </summary>
    public async Task<ReconciliationReport?> LatestAsync(string channelName, DateOnly day, string? sites, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var run = await connection.QueryFirstOrDefaultAsync<(long Id, long Orders, long CreatedAtMs)>(
            "SELECT id, orders, created_at_ms FROM payment_reconciliations WHERE channel = @channelName AND day = @day ORDER BY id DESC",
            new { channelName, day = PaymentClock.Day(day) });
        if (run.Id == 0) return null;
        var inSites = $"account_id IN (SELECT id FROM accounts WHERE site_id IN {db.Dialect.IdsFromJson("@sites")})";
        var rows = await connection.QueryAsync<ReconciliationRow>($"""
            SELECT kind, out_trade_no, account_id, order_state, order_fen, channel_state, channel_fen, credited_fen, detail
            FROM payment_reconciliation_rows WHERE reconciliation_id = @id AND (@sites IS NULL OR {inSites}) ORDER BY id
            """, new { id = run.Id, sites });
        var orders = run.Orders;
        if (sites is not null)
        {
            var (fromMs, toMs) = PaymentClock.DayRange(day);
            orders = await connection.ExecuteScalarAsync<long>($"""
                SELECT COUNT(*) FROM payment_orders
                WHERE channel = @channelName AND created_at_ms >= @fromMs AND created_at_ms < @toMs AND created_at_ms <= @runAtMs AND {inSites}
                """, new { channelName, fromMs, toMs, runAtMs = run.CreatedAtMs, sites });
        }
        return new ReconciliationReport(run.Id, channelName, PaymentClock.Day(day), (int)orders, run.CreatedAtMs, rows.ToList());
    }
}
