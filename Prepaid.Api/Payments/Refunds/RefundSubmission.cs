using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Channels;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>
/// Sends a pending refund to its channel and settles it on a definite answer. An unknown outcome (network, an answer
/// that does not verify) leaves it pending; the pending-payments job sends it again with the same out_refund_no,
/// which the channel answers instead of refunding twice.
/// </summary>
public static class RefundSubmission
{
    public static async Task<string> SubmitAsync(IServiceProvider services, Db db, IPostingEvents events, PaymentRefund refund, DateTimeOffset now,
        ILogger logger, CancellationToken ct)
    {
        var channel = PaymentChannels.Find(services, refund.Channel);
        if (channel is null) return PaymentRefund.Pending;
        ChannelRefund answer;
        try
        {
            answer = await channel.RefundAsync(refund.OutTradeNo, refund.OrderAmountFen, refund.AmountFen, refund.OutRefundNo, refund.Reason, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Refund {OutRefundNo} at {Channel}: outcome unknown, will retry", refund.OutRefundNo, refund.Channel);
            return PaymentRefund.Pending;
        }
        return answer.State switch
        {
            ChannelRefundState.Succeeded => await RefundSettlement.SettleAsync(db, events, refund.OutRefundNo, answer.RefundId, true, null, now, ct),
            ChannelRefundState.Refused => await RefundSettlement.SettleAsync(db, events, refund.OutRefundNo, answer.RefundId, false, answer.Detail, now, ct),
            _ => PaymentRefund.Pending,
        };
    }
}
