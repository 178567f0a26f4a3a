using Prepaid.Api.Ledger;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Orders;
using Prepaid.Api.Payments.Refunds;

namespace Prepaid.Api.Payments.Notifications;

/// <summary>What a verified notification says, reduced to what the platform acts on, whichever channel sent it.</summary>
public sealed record PaidClaim(string OutTradeNo, string? ChannelTradeId, long? AmountFen, bool IsPaid, string RawState);

/// <summary>
/// Acts on a verified notification: match it to its order (unknown order, amount mismatch), then credit through
/// <see cref="PaymentCredit"/>, recording the outcome in the same transaction as the money.
/// </summary>
public static class NotificationHandling
{
    public static Task<string> PaymentAsync(Db db, IPostingEvents events, long notificationId, PaidClaim claim, DateTimeOffset now, CancellationToken ct) =>
        PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var order = await PaymentOrder.FindAsync(connection, tx, claim.OutTradeNo);
            string outcome, detail;
            if (order is null) (outcome, detail) = (NotificationLog.UnknownOrder, $"No order {claim.OutTradeNo}.");
            else if (claim.AmountFen != order.AmountFen)
                (outcome, detail) = (NotificationLog.Mismatch, $"The notification says {claim.AmountFen} fen, the order {order.AmountFen} fen.");
            else if (!claim.IsPaid) (outcome, detail) = (NotificationLog.NotPaid, $"Trade state {claim.RawState}.");
            else
            {
                var (credit, _) = await PaymentCredit.ApplyAsync(connection, tx, db.Dialect, claim.OutTradeNo, claim.ChannelTradeId, "notification", now, outbox);
                (outcome, detail) = credit switch
                {
                    CreditOutcome.Credited => (NotificationLog.Credited, $"Credited topup:{order.Channel}:{order.OutTradeNo}."),
                    CreditOutcome.AlreadyCredited => (NotificationLog.Duplicate, $"Already credited ({claim.RawState})."),
                    CreditOutcome.KeyTaken => (NotificationLog.Error,
                        $"topup:{order.Channel}:{order.OutTradeNo} is held by a counter top-up of the old key form: paid but not credited; see reconciliation."),
                    _ => (NotificationLog.AccountClosed, $"Account {order.AccountId} is closed: paid but not credited; see reconciliation."),
                };
            }
            await NotificationLog.SetOutcomeAsync(connection, tx, notificationId, outcome, detail, order?.Id);
            return outcome;
        }, ct);

    /// <summary>A refund notification (WeChat Pay REFUND.*): confirms or fails a pending refund.</summary>
    public static async Task<string> RefundAsync(Db db, IPostingEvents events, long notificationId, string outRefundNo, string? refundId, string status,
        DateTimeOffset now, CancellationToken ct)
    {
        var result = await RefundSettlement.SettleAsync(db, events, outRefundNo, refundId, status == "SUCCESS", $"refund status {status}", now, ct);
        await NotificationLog.SetOutcomeAsync(db, notificationId, NotificationLog.Refund, $"{outRefundNo}: {status} → {result}");
        return NotificationLog.Refund;
    }
}
