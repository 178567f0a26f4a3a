using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Deposits;

/// <summary>
/// R29: deposits are held in the site's deposits ledger account (clearing_&lt;channel&gt; → deposits, key
/// <c>deposit:&lt;account&gt;:&lt;Idempotency-Key&gt;</c>), never in the wallet: they do not pay for energy and do not
/// change the account's state. Move-out returns them to the wallet (<c>deposit-return:&lt;account&gt;</c>), where they pay a
/// debt or go out with the rest of the balance.
/// </summary>
public static class DepositsApi
{
    public static void MapDeposits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts/{accountId:long}/deposits").WithTags("Accounts");
        group.MapPost("/", Take).Validate<DepositRequest, DepositValidator>().RequireAuthorization(Roles.Cash)
            .WithSummary("Take a deposit at the counter; held apart from the wallet until move-out");
        group.MapGet("/", List).RequireAuthorization().WithSummary("The deposits of an account and what is held");
    }

    sealed record DepositRow(long Id, long AccountId, string Channel, string IdempotencyKey, string TransferKey, string RequestHash, long AmountFen, long AtMs);

    static async Task<IResult> Take(long accountId, DepositRequest r, HttpContext http, ClaimsPrincipal user, Db db, TimeProvider time,
        IPostingEvents events, CancellationToken ct)
    {
        var (key, keyProblem) = IdempotencyKey.Read(http, r.IdempotencyKey, "A deposit needs an idempotency key (header or idempotencyKey field) so a retry never takes it twice.");
        if (keyProblem is not null) return keyProblem;
        await using (var check = await db.OpenAsync(ct))
            if (!await AccountsApi.VisibleAsync(check, user, accountId)) return Problems.NotFound($"Account {accountId}");

        var amountFen = ApiFormat.Fen(r.Amount!);
        var hash = Passwords.Sha256Hex($"{accountId}|{amountFen}|{r.Channel}");
        var transferKey = $"deposit:{accountId}:{key}";
        var now = time.GetUtcNow();
        var (status, depositId, held) = await PostingWrites.RunAsync(db, events, async (connection, tx, _) =>
        {
            var existing = await connection.QuerySingleOrDefaultAsync<DepositRow>(
                "SELECT id, account_id, channel, idempotency_key, transfer_key, request_hash, amount_fen, at_ms FROM deposits WHERE transfer_key = @transferKey",
                new { transferKey }, tx);
            if (existing is not null) return (existing.RequestHash == hash ? 200 : 409, existing.Id, await HeldAsync(connection, tx, accountId));
            var account = await connection.QuerySingleAsync<(long SiteId, long? ClosedAtMs)>("SELECT site_id, closed_at_ms FROM accounts WHERE id = @accountId",
                new { accountId }, tx);
            if (account.ClosedAtMs is not null) return (410, 0L, 0L);
            var ledgerIds = await SiteLedger.IdsAsync(connection, tx, account.SiteId);
            var ledger = new LedgerWriter(connection, tx, db.Dialect);
            var (debit, credit) = (ledgerIds[SiteLedger.Clearing(r.Channel!)], ledgerIds[SiteLedger.Deposits]);
            await ledger.LoadAsync([debit, credit]);
            var nowMs = now.ToUnixTimeMilliseconds();
            ledger.Post(transferKey, 0, "deposit", nowMs, accountId, null, debit, credit, amountFen);
            await ledger.FlushAsync(ct);
            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("deposits",
                "account_id, channel, idempotency_key, transfer_key, request_hash, amount_fen, user_id, at_ms",
                "@accountId, @Channel, @key, @transferKey, @hash, @amountFen, @userId, @nowMs"),
                new { accountId, r.Channel, key, transferKey, hash, amountFen, userId = user.Id(), nowMs }, tx);
            return (201, id, await HeldAsync(connection, tx, accountId));
        }, ct);
        return status switch
        {
            201 => TypedResults.Created($"/api/accounts/{accountId}/deposits", new { depositId, accountId, amount = ApiFormat.Amount(amountFen), held = ApiFormat.Amount(held) }),
            200 => TypedResults.Ok(new { depositId, accountId, amount = ApiFormat.Amount(amountFen), held = ApiFormat.Amount(held) }),
            409 => Problems.Conflict("This idempotency key was already used for a different deposit."),
            _ => Problems.Conflict($"Account {accountId} is closed."),
        };
    }

    /// <summary>What the account holds in deposits now: everything taken, less what move-out returned.</summary>
    public static async Task<long> HeldAsync(DbConnection connection, DbTransaction? tx, long accountId) =>
        await connection.ExecuteScalarAsync<long>("""
            SELECT COALESCE((SELECT CAST(SUM(amount_fen) AS BIGINT) FROM deposits WHERE account_id = @accountId), 0)
                 - COALESCE((SELECT deposit_returned_fen FROM account_closures WHERE account_id = @accountId), 0)
            """, new { accountId }, tx);

    static async Task<IResult> List(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var zone = ApiFormat.Zone((await connection.ExecuteScalarAsync<string>(
            "SELECT s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.id = @accountId", new { accountId }))!);
        var rows = await connection.QueryAsync<DepositRow>(
            "SELECT id, account_id, channel, idempotency_key, transfer_key, request_hash, amount_fen, at_ms FROM deposits WHERE account_id = @accountId ORDER BY id DESC",
            new { accountId });
        var returned = await connection.ExecuteScalarAsync<long?>("SELECT deposit_returned_fen FROM account_closures WHERE account_id = @accountId", new { accountId });
        return TypedResults.Ok(new
        {
            accountId, held = ApiFormat.Amount(await HeldAsync(connection, null, accountId)), returned = returned is { } f ? ApiFormat.Amount(f) : null,
            deposits = rows.Select(d => new { depositId = d.Id, amount = ApiFormat.Amount(d.AmountFen), channel = d.Channel, at = ApiFormat.Instant(d.AtMs, zone), key = d.TransferKey }),
        });
    }
}
