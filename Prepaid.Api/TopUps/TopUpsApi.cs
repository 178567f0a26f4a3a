using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.TopUps;

public static class TopUpsApi
{
    public static void MapTopUps(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/accounts/{accountId:long}/topups", TopUp).WithTags("Accounts")
            .Validate<TopUpRequest, TopUpValidator>().RequireAuthorization(Roles.Cash)
            .WithSummary("Top up at the counter; the same Idempotency-Key with the same body returns the first result");
    }

    sealed record Stored(long Id, long AccountId, string RequestHash, long AmountFen, long FeeFen, long CreditedFen, long BalanceAfterFen, string StateAfter);

    static async Task<IResult> TopUp(long accountId, TopUpRequest r, HttpContext http, ClaimsPrincipal user, Db db, TimeProvider time,
        IPostingEvents events, CancellationToken ct)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrEmpty(key)) key = r.IdempotencyKey ?? "";
        if (key.Length == 0) return Problems.Field("Idempotency-Key", "A top-up needs an idempotency key (header or idempotencyKey field) so a retry never credits twice.");
        if (r.IdempotencyKey is not null && r.IdempotencyKey != key) return Problems.Field("idempotencyKey", "Differs from the Idempotency-Key header.");
        var amount = new Money(ApiFormat.Fen(r.Amount!));
        var hash = Passwords.Sha256Hex($"{accountId}|{amount.Fen}|{r.Channel}");
        var now = time.GetUtcNow();

        IReadOnlyList<OutboxRow> published;
        Stored result;
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var existing = await connection.QuerySingleOrDefaultAsync<Stored>("""
                SELECT id, account_id, request_hash, amount_fen, fee_fen, credited_fen, balance_after_fen, state_after
                FROM topups WHERE channel = @Channel AND idempotency_key = @key
                """, new { r.Channel, key }, tx);
            if (existing is not null)
                return existing.RequestHash == hash ? TypedResults.Ok(Shape(existing))
                    : Problems.Conflict("This idempotency key was already used for a different top-up.");

            var accounts = await AccountRuntime.LoadAsync(connection, tx, db.Dialect, [accountId]);
            if (!accounts.TryGetValue(accountId, out var account)) return Problems.NotFound($"Account {accountId}");
            if (account.Closed) return Problems.Conflict($"Account {accountId} is closed.");
            var site = (await SiteRuntime.LoadAsync(connection, tx, account.SiteId))!;
            var ledger = new LedgerWriter(connection, tx, db.Dialect);
            var clearing = site.LedgerIds[SiteLedger.Clearing(r.Channel!)];
            await ledger.LoadAsync([account.WalletLedgerId, clearing, site.LedgerIds[SiteLedger.FeeIncome]]);

            // R15: the fee is skimmed on top-up; both legs share the transfer's key.
            var (fee, credited) = TopUpSplit.Of(amount, account.FeeRate);
            var transferKey = $"topup:{r.Channel}:{key}";
            var atMs = now.ToUnixTimeMilliseconds();
            var before = new Money(ledger.Balance(account.WalletLedgerId));
            if (credited.Fen > 0) ledger.Post(transferKey, 0, "topup", atMs, accountId, null, clearing, account.WalletLedgerId, credited.Fen);
            if (fee.Fen > 0) ledger.Post(transferKey, 1, "fee", atMs, accountId, null, clearing, site.LedgerIds[SiteLedger.FeeIncome], fee.Fen);
            var after = new Money(ledger.Balance(account.WalletLedgerId));
            var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @accountId AND closed_at_ms IS NULL ORDER BY meter_id",
                new { accountId }, tx)).ToList();
            var outbox = new OutboxWriter();
            account.AfterPosting(site, before, after, now, meterIds, outbox);

            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("topups",
                "account_id, channel, idempotency_key, request_hash, amount_fen, fee_fen, credited_fen, balance_after_fen, state_after, user_id, at_ms",
                "@accountId, @Channel, @key, @hash, @amount, @fee, @credited, @after, @state, @userId, @atMs"),
                new { accountId, r.Channel, key, hash, amount = amount.Fen, fee = fee.Fen, credited = credited.Fen, after = after.Fen,
                      state = ApiFormat.State(account.State), userId = user.Id(), atMs }, tx);
            await ledger.FlushAsync(ct);
            await AccountRuntime.SaveAsync(connection, tx, [account]);
            published = outbox.Rows.ToList();
            await outbox.FlushAsync(connection, tx, ct);
            await tx.CommitAsync(ct);
            result = new Stored(id, accountId, hash, amount.Fen, fee.Fen, credited.Fen, after.Fen, ApiFormat.State(account.State));
        }
        finally
        {
            db.WriteGate.Release();
        }
        events.Posted(published);
        return TypedResults.Created($"/api/accounts/{accountId}/topups/{result.Id}", Shape(result));
    }

    static object Shape(Stored s) => new
    {
        topupId = s.Id, accountId = s.AccountId, amount = ApiFormat.Amount(s.AmountFen), fee = ApiFormat.Amount(s.FeeFen),
        credited = ApiFormat.Amount(s.CreditedFen), balance = ApiFormat.Amount(s.BalanceAfterFen), state = s.StateAfter,
    };
}
