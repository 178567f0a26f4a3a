using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Payments.Orders;

/// <summary>A payment order as stored: pending until a verified notification or a query says paid.</summary>
public sealed record PaymentOrder(long Id, string OutTradeNo, long AccountId, long AmountFen, string Channel, string Method, string State,
    long CreatedAtMs, long ExpiresAtMs, string? ChannelTradeId, long? PaidAtMs, string? PaidVia, long? TopupId, long RefundedFen,
    long? ClosedAtMs, string? Failure, string? ReturnUrl)
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Closed = "closed";
    public const string Expired = "expired";

    const string Columns = """
        id, out_trade_no, account_id, amount_fen, channel, method, state, created_at_ms, expires_at_ms, channel_trade_id,
        paid_at_ms, paid_via, topup_id, refunded_fen, closed_at_ms, failure, return_url
        """;

    public static Task<PaymentOrder?> FindAsync(DbConnection connection, DbTransaction? tx, string outTradeNo) =>
        connection.QuerySingleOrDefaultAsync<PaymentOrder>($"SELECT {Columns} FROM payment_orders WHERE out_trade_no = @outTradeNo", new { outTradeNo }, tx);

    public static async Task<IReadOnlyList<PaymentOrder>> OfAccountAsync(DbConnection connection, SqlDialect dialect, long accountId, int limit) =>
        (await connection.QueryAsync<PaymentOrder>(dialect.Page($"SELECT {Columns} FROM payment_orders WHERE account_id = @accountId ORDER BY id DESC", "0", "@limit"),
            new { accountId, limit })).ToList();

    /// <param name="sites">The caller's sites as a JSON array (SiteScope.SitesJson); null for every site.</param>
    public static async Task<IReadOnlyList<PaymentOrder>> ListAsync(DbConnection connection, SqlDialect dialect, string? state, string? channel, long beforeId, int limit,
        string? sites) =>
        (await connection.QueryAsync<PaymentOrder>(dialect.Page($"""
            SELECT {Columns} FROM payment_orders
            WHERE id < @beforeId AND (@state IS NULL OR state = @state) AND (@channel IS NULL OR channel = @channel)
              AND (@sites IS NULL OR account_id IN (SELECT id FROM accounts WHERE site_id IN {dialect.IdsFromJson("@sites")}))
            ORDER BY id DESC
            """, "0", "@limit"), new { state, channel, beforeId, limit, sites })).ToList();

    public static async Task<IReadOnlyList<PaymentOrder>> PendingAsync(DbConnection connection, SqlDialect dialect, long createdBeforeMs, int limit) =>
        (await connection.QueryAsync<PaymentOrder>(dialect.Page($"SELECT {Columns} FROM payment_orders WHERE state = 'pending' AND created_at_ms <= @createdBeforeMs ORDER BY id", "0", "@limit"),
            new { createdBeforeMs, limit })).ToList();

    public static async Task<IReadOnlyList<PaymentOrder>> CreatedBetweenAsync(DbConnection connection, string channel, long fromMs, long toMs) =>
        (await connection.QueryAsync<PaymentOrder>(
            $"SELECT {Columns} FROM payment_orders WHERE channel = @channel AND created_at_ms >= @fromMs AND created_at_ms < @toMs ORDER BY id",
            new { channel, fromMs, toMs })).ToList();

    public object Shape(TimeZoneInfo zone) => new
    {
        id = Id, outTradeNo = OutTradeNo, accountId = AccountId, amount = ApiFormat.Amount(AmountFen), channel = Channel, method = Method,
        state = State, createdAt = ApiFormat.Instant(CreatedAtMs, zone), expiresAt = ApiFormat.Instant(ExpiresAtMs, zone),
        channelTradeId = ChannelTradeId, paidAt = PaidAtMs is { } p ? ApiFormat.Instant(p, zone) : null, paidVia = PaidVia, topupId = TopupId,
        refunded = ApiFormat.Amount(RefundedFen), failure = Failure,
    };
}
