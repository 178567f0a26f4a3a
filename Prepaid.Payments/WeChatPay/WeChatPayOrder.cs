using System.Text.RegularExpressions;

namespace Prepaid.Payments.WeChatPay;

/// <summary>What the platform asks WeChat Pay to collect; amounts are whole fen.</summary>
public sealed partial record WeChatPayOrder
{
    public WeChatPayOrder(string outTradeNo, string description, long amountFen, DateTimeOffset? expiresAt = null)
    {
        // Checked here because WeChat Pay's own error for these arrives only after a round trip.
        if (!OutTradeNoPattern().IsMatch(outTradeNo))
        {
            throw new ArgumentException("out_trade_no is 6-32 characters of [0-9A-Za-z_-|*].", nameof(outTradeNo));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(amountFen, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        OutTradeNo = outTradeNo;
        Description = description;
        AmountFen = amountFen;
        ExpiresAt = expiresAt;
    }

    public string OutTradeNo { get; }
    public string Description { get; }
    public long AmountFen { get; }
    public DateTimeOffset? ExpiresAt { get; }

    [GeneratedRegex(@"^[0-9A-Za-z_\-|*]{6,32}$")]
    private static partial Regex OutTradeNoPattern();
}

public sealed record WeChatPayRefundRequest(
    string OutTradeNo, string OutRefundNo, long RefundFen, long TotalFen, string? Reason = null);
