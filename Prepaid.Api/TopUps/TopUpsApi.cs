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

    static async Task<IResult> TopUp(long accountId, TopUpRequest r, HttpContext http, ClaimsPrincipal user, Db db, TimeProvider time,
        IPostingEvents events, CancellationToken ct)
    {
        var (key, keyProblem) = IdempotencyKey.Read(http, r.IdempotencyKey, "A top-up needs an idempotency key (header or idempotencyKey field) so a retry never credits twice.");
        if (keyProblem is not null) return keyProblem;

        await using (var check = await db.OpenAsync(ct))
            if (!await AccountsApi.VisibleAsync(check, user, accountId)) return Problems.NotFound($"Account {accountId}");

        var posted = await PostingWrites.RunAsync(db, events, (connection, tx, outbox) =>
            TopUpPosting.PostAsync(connection, tx, db.Dialect, accountId, new Money(ApiFormat.Fen(r.Amount!)), r.Channel!,
                TopUpSource.Counter(accountId, r.Channel!, key), user.Id(), time.GetUtcNow(), outbox), ct);
        return posted.Outcome switch
        {
            TopUpOutcome.Posted => TypedResults.Created($"/api/accounts/{accountId}/topups/{posted.Result!.Id}", Shape(posted.Result)),
            TopUpOutcome.Replayed => TypedResults.Ok(Shape(posted.Result!)),
            TopUpOutcome.KeyReused => Problems.Conflict("This idempotency key was already used for a different top-up."),
            TopUpOutcome.NoAccount => Problems.NotFound($"Account {accountId}"),
            _ => Problems.Conflict($"Account {accountId} is closed."),
        };
    }

    static object Shape(TopUpResult s) => new
    {
        topupId = s.Id, accountId = s.AccountId, amount = ApiFormat.Amount(s.AmountFen), fee = ApiFormat.Amount(s.FeeFen),
        credited = ApiFormat.Amount(s.CreditedFen), balance = ApiFormat.Amount(s.BalanceAfterFen), state = s.StateAfter,
    };
}
