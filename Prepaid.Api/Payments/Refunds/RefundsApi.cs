using Prepaid.Api.Ledger;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Orders;

namespace Prepaid.Api.Payments.Refunds;

public static class RefundsApi
{
    public static void MapRefunds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts/{accountId:long}/refunds").WithTags("Payments");
        group.MapPost("/", Create).Validate<RefundRequest, RefundValidator>().RequireAuthorization(Roles.Cash)
            .WithSummary("Refund unused balance through the channel of a paid order; the amount leaves the wallet at once and is paid out when the channel confirms");
        group.MapGet("/", List).RequireAuthorization();
    }

    enum Reservation { Reserved, Replayed, KeyReused, NoOrder, NotPaid, OverOrder, OverBalance }

    static async Task<IResult> Create(long accountId, RefundRequest r, HttpContext http, ClaimsPrincipal user, Db db, TimeProvider time,
        IPostingEvents events, ILogger<RefundRequest> logger, CancellationToken ct)
    {
        var (key, keyProblem) = IdempotencyKey.Read(http, r.IdempotencyKey, "A refund needs an idempotency key (header or idempotencyKey field) so a retry never refunds twice.");
        if (keyProblem is not null) return keyProblem;
        var account = await AccountScope.FindAsync(db, user, accountId, ct);
        if (account is null) return Problems.NotFound($"Account {accountId}");

        var amountFen = ApiFormat.Fen(r.Amount!);
        var hash = Passwords.Sha256Hex($"{accountId}|{r.OutTradeNo}|{amountFen}");
        var now = time.GetUtcNow();
        var (reservation, refund, limitFen) = await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var existing = await PaymentRefund.ByKeyAsync(connection, tx, accountId, key);
            if (existing is not null) return (existing.RequestHash == hash ? Reservation.Replayed : Reservation.KeyReused, existing, 0L);
            var order = await PaymentOrder.FindAsync(connection, tx, r.OutTradeNo!);
            if (order is null || order.AccountId != accountId) return (Reservation.NoOrder, null, 0L);
            if (order.State != PaymentOrder.Paid) return (Reservation.NotPaid, null, 0L);

            // Pending refunds count as spent: two refunds racing cannot together exceed the order or the balance.
            var refundable = order.AmountFen - await connection.ExecuteScalarAsync<long>(
                "SELECT COALESCE(CAST(SUM(amount_fen) AS BIGINT), 0) FROM payment_refunds WHERE order_id = @id AND state <> 'failed'", new { id = order.Id }, tx);
            if (amountFen > refundable) return (Reservation.OverOrder, null, refundable);
            // R25: pending refunds are held, so they are out of the wallet already; only a refund requested before holds
            // existed (held when its channel confirms) is still in it and must be counted.
            var available = await connection.ExecuteScalarAsync<long>("""
                SELECT l.balance_fen - COALESCE((SELECT CAST(SUM(amount_fen) AS BIGINT) FROM payment_refunds
                                                 WHERE account_id = @accountId AND state = 'pending' AND held_at_ms IS NULL), 0)
                FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id WHERE a.id = @accountId
                """, new { accountId }, tx);
            if (amountFen > available) return (Reservation.OverBalance, null, Math.Max(0, available));

            var outRefundNo = OutTradeNumbers.New("RF", now);
            var nowMs = now.ToUnixTimeMilliseconds();
            await connection.ExecuteAsync("""
                INSERT INTO payment_refunds (order_id, account_id, out_refund_no, idempotency_key, request_hash, amount_fen, state, reason, requested_by,
                                             created_at_ms, held_at_ms)
                VALUES (@orderId, @accountId, @outRefundNo, @key, @hash, @amountFen, 'pending', @reason, @userId, @nowMs, @nowMs)
                """, new { orderId = order.Id, accountId, outRefundNo, key, hash, amountFen, reason = r.Reason, userId = user.Id(), nowMs }, tx);
            var reserved = await PaymentRefund.ByOutRefundNoAsync(connection, tx, outRefundNo);
            // The amount leaves the wallet with the request, in its transaction: consumption billed before the channel
            // answers can only use what is left.
            await RefundPostings.HoldAsync(connection, tx, db.Dialect, reserved!, now, outbox);
            return (Reservation.Reserved, reserved, 0L);
        }, ct);

        switch (reservation)
        {
            case Reservation.KeyReused: return Problems.Conflict("This idempotency key was already used for a different refund.");
            case Reservation.NoOrder: return Problems.Field("outTradeNo", $"Account {accountId} has no payment order {r.OutTradeNo}.", StatusCodes.Status404NotFound, "The payment order was not found.");
            case Reservation.NotPaid: return Problems.Field("outTradeNo", "Only a paid order can be refunded.", StatusCodes.Status409Conflict, "The order is not paid.");
            case Reservation.OverOrder: return Problems.Refused("amount", $"At most {ApiFormat.Amount(limitFen)} of this order is left to refund.", "The refund exceeds what the order paid.");
            case Reservation.OverBalance: return Problems.Refused("amount", $"The wallet can refund at most {ApiFormat.Amount(limitFen)} now.", "Insufficient balance for the refund.");
            case Reservation.Replayed: return TypedResults.Ok(refund!.Shape(account.Zone));
        }

        var state = await RefundSubmission.SubmitAsync(http.RequestServices, db, events, refund!, now, logger, ct);
        await using var connection = await db.OpenAsync(ct);
        var done = (await PaymentRefund.ByOutRefundNoAsync(connection, null, refund!.OutRefundNo))!;
        return state switch
        {
            PaymentRefund.Succeeded => TypedResults.Created($"/api/accounts/{accountId}/refunds/{done.Id}", done.Shape(account.Zone)),
            PaymentRefund.Failed => Problems.Refused("outTradeNo", done.Failure ?? "refused", $"{done.Channel} refused the refund."),
            // The channel has it but has not finished (or we could not hear): the job and the notification finish it.
            _ => TypedResults.Accepted($"/api/accounts/{accountId}/refunds/{done.Id}", done.Shape(account.Zone)),
        };
    }

    static async Task<IResult> List(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        var account = await AccountScope.FindAsync(db, user, accountId, ct);
        if (account is null) return Problems.NotFound($"Account {accountId}");
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok((await PaymentRefund.OfAccountAsync(connection, accountId)).Select(x => x.Shape(account.Zone)));
    }
}
