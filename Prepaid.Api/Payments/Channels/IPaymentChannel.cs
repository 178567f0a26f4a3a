using Prepaid.Payments.WeChatPay;

namespace Prepaid.Api.Payments.Channels;

/// <summary>
/// What the platform needs of a payment channel, whatever its protocol: start a payment, ask where a trade stands,
/// close it, refund from it. Two implementations (Alipay, WeChat Pay) over our own signed clients.
/// </summary>
public interface IPaymentChannel
{
    /// <summary>alipay | wechat: the channel's name in orders, ledger accounts and idempotency keys.</summary>
    string Name { get; }

    Task<PaymentStart> StartAsync(PaymentStartRequest request, CancellationToken ct);

    /// <summary>The trade as the channel sees it; NotFound when the tenant never opened it.</summary>
    Task<ChannelTrade> QueryAsync(string outTradeNo, CancellationToken ct);

    /// <summary>Closes an unpaid trade. Throws <see cref="ChannelRefusedException"/> when it was paid meanwhile.</summary>
    Task CloseAsync(string outTradeNo, CancellationToken ct);

    /// <summary>
    /// Refunds part of a paid trade. The same <paramref name="outRefundNo"/> again is answered, not repeated, so a retry
    /// after an unknown outcome is safe. Throws when the outcome is unknown (network, unverifiable answer).
    /// </summary>
    Task<ChannelRefund> RefundAsync(string outTradeNo, long totalFen, long refundFen, string outRefundNo, string? reason, CancellationToken ct);
}

public sealed record PaymentStartRequest(string OutTradeNo, long AmountFen, string Subject, DateTimeOffset ExpiresAt, string Method,
    string? OpenId, string? ClientIp, string? ReturnUrl);

/// <summary>What the phone needs: one of a QR code's text, a URL to open, an app order string, or JSAPI parameters.</summary>
public sealed record PaymentStart(string? QrCode = null, string? RedirectUrl = null, string? OrderString = null, WeChatPayJsapiParams? Jsapi = null);

public enum ChannelTradeState { Paid, NotPaid, Closed, NotFound }

public sealed record ChannelTrade(ChannelTradeState State, string RawState, string? TradeId, long? AmountFen);

public enum ChannelRefundState { Succeeded, Processing, Refused }

public sealed record ChannelRefund(ChannelRefundState State, string? RefundId, string? Detail);

/// <summary>The channel answered, verifiably, no (a business refusal): retrying the same call will not help.</summary>
public sealed class ChannelRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
