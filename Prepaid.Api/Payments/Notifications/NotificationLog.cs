using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Payments.Notifications;

/// <summary>A notification as it arrived, with what verification said; stored before anything acts on it.</summary>
public sealed record RawNotification(string Channel, string? HeadersJson, string Body, string? NotifyId, bool Verified, string? Reason, string? OutTradeNo);

/// <summary>
/// The notification log operators read. The raw notification is committed on its own first, so even one whose
/// processing fails (or that crashes the process) is on record; the outcome is written with the money it moved.
/// </summary>
public static class NotificationLog
{
    public const string Received = "received";
    public const string Rejected = "rejected";
    public const string Credited = "credited";
    public const string Duplicate = "duplicate";
    public const string UnknownOrder = "unknown_order";
    public const string Mismatch = "mismatch";
    public const string NotPaid = "not_paid";
    public const string AccountClosed = "account_closed";
    public const string Refund = "refund";
    public const string Error = "error";

    public static async Task<long> StoreAsync(Db db, RawNotification n, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("payment_notifications",
            "channel, headers_json, body, notify_id, verification, reason, out_trade_no, outcome, received_at_ms",
            "@Channel, @HeadersJson, @Body, @NotifyId, @verification, @Reason, @OutTradeNo, @outcome, @nowMs"),
            new
            {
                n.Channel, n.HeadersJson, n.Body, NotifyId = Cut(n.NotifyId, 100), verification = n.Verified ? "verified" : "rejected", n.Reason,
                OutTradeNo = Cut(n.OutTradeNo, 64),
                outcome = n.Verified ? Received : Rejected, nowMs = now.ToUnixTimeMilliseconds(),
            });
    }

    // A forger chooses these fields' length; the raw body keeps them whole, the indexed columns keep a prefix.
    public static string? Cut(string? text, int length) => text is { Length: > 0 } t && t.Length > length ? t[..length] : text;

    public static Task SetOutcomeAsync(DbConnection connection, DbTransaction? tx, long id, string outcome, string? detail, long? orderId) =>
        connection.ExecuteAsync("UPDATE payment_notifications SET outcome = @outcome, detail = @detail, order_id = COALESCE(@orderId, order_id) WHERE id = @id",
            new { id, outcome, detail, orderId }, tx);

    public static async Task SetOutcomeAsync(Db db, long id, string outcome, string? detail)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await SetOutcomeAsync(connection, null, id, outcome, detail, null);
    }
}
