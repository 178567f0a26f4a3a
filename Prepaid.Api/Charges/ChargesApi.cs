using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;
using Quartz;

namespace Prepaid.Api.Charges;

/// <summary>Recurring charges (R28): agreements on accounts, the charges they posted, the run the hourly job makes.</summary>
public static class ChargesApi
{
    /// <summary><c>Prepaid:Charges:Background</c> (default true) schedules <see cref="PostChargesJob"/>; tests run it by hand.</summary>
    public static void AddCharges(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChargeRun>();
        if (!builder.Configuration.GetValue("Prepaid:Charges:Background", true)) return;
        builder.Services.AddQuartz(q => q.ScheduleJob<PostChargesJob>(
            t => t.WithIdentity("post-charges-hourly", "charges").StartNow().WithSimpleSchedule(x => x.WithInterval(PostChargesJob.Interval).RepeatForever()),
            j => j.WithIdentity(PostChargesJob.Key)));
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    public static void MapCharges(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/charges").WithTags("Charges").CheckParameters();
        group.MapPost("/", Create).Validate<CreateChargeRequest, CreateChargeValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Put a recurring charge (rent, property fee, a fixed fee) on an account; what is due already is posted at once");
        group.MapDelete("/{chargeId:long}", End).RequireAuthorization(Roles.Manage)
            .WithSummary("End an agreement: to (default today) is the first day no longer charged; days charged beyond it are credited back");
        group.MapPost("/run", Run).Validate<RunChargesRequest, RunChargesValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Post the charges due up to at, as the hourly job does; running twice posts nothing more");
        app.MapGet("/api/accounts/{accountId:long}/charges", List).WithTags("Charges").RequireAuthorization().CheckParameters()
            .WithSummary("An account's charge agreements and the charges they posted, newest first");
    }

    static async Task<IResult> Create(CreateChargeRequest r, HttpContext http, ClaimsPrincipal user, Db db, TimeProvider time, IPostingEvents events,
        CancellationToken ct)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrEmpty(key)) key = r.IdempotencyKey ?? "";
        if (r.IdempotencyKey is not null && r.IdempotencyKey != key) return Problems.Field("idempotencyKey", "Differs from the Idempotency-Key header.");
        await using (var check = await db.OpenAsync(ct))
            if (!await AccountsApi.VisibleAsync(check, user, r.AccountId))
                return Problems.Field("accountId", $"Account {r.AccountId} does not exist.", StatusCodes.Status404NotFound, "The account was not found.");

        var trips = r.TripsOnArrears ?? true;
        var hash = Passwords.Sha256Hex($"{r.AccountId}|{r.Kind}|{r.Name}|{ApiFormat.Fen(r.Amount!)}|{r.Period}|{r.DueDay}|{r.From}|{r.To}|{trips}");
        var now = time.GetUtcNow();
        var (status, agreement, posted) = await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            if (key.Length > 0 && await connection.QuerySingleOrDefaultAsync<long?>(
                    "SELECT id FROM charge_agreements WHERE account_id = @AccountId AND idempotency_key = @key", new { r.AccountId, key }, tx) is { } existing)
            {
                var same = await ChargeAgreement.FindAsync(connection, tx, existing);
                return (same!.RequestHash == hash ? 200 : 409, same, new List<PostedCharge>());
            }
            if (await connection.ExecuteScalarAsync<long?>("SELECT closed_at_ms FROM accounts WHERE id = @AccountId", new { r.AccountId }, tx) is not null)
                return (409, null, []);
            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("charge_agreements",
                "account_id, kind, name, amount_fen, period, due_day, from_day, to_day, trips, idempotency_key, request_hash, created_by, created_at_ms",
                "@AccountId, @Kind, @Name, @amountFen, @Period, @DueDay, @From, @To, @trips, @key, @hash, @userId, @nowMs"),
                new
                {
                    r.AccountId, r.Kind, r.Name, amountFen = ApiFormat.Fen(r.Amount!), r.Period, r.DueDay, r.From, r.To, trips = trips ? 1 : 0,
                    key = key.Length > 0 ? key : null, hash, userId = user.Id(), nowMs = now.ToUnixTimeMilliseconds(),
                }, tx);
            var charges = await ChargePosting.PostDueAsync(connection, tx, db.Dialect, outbox, new ChargeScope(AgreementId: id), now, now);
            return (201, await ChargeAgreement.FindAsync(connection, tx, id), charges);
        }, ct);
        return status switch
        {
            201 => TypedResults.Created($"/api/accounts/{r.AccountId}/charges", Shape(agreement!, posted)),
            200 => TypedResults.Ok(Shape(agreement!, posted)),
            _ => agreement is null ? Problems.Conflict($"Account {r.AccountId} is closed.") : Problems.Conflict("This idempotency key was already used for a different agreement."),
        };
    }

    static object Shape(ChargeAgreement g, List<PostedCharge> posted) =>
        new { agreement = g.Shape(), posted = posted.Select(c => c.Shape()) };

    static async Task<IResult> End(long chargeId, ClaimsPrincipal user, Db db, TimeProvider time, IPostingEvents events, CancellationToken ct,
        [Description(ChargeDays.DayDoc + " The first day no longer charged (default: today)."), MaxLength(10)] string? to = null)
    {
        await using (var check = await db.OpenAsync(ct))
        {
            var g = await ChargeAgreement.FindAsync(check, null, chargeId);
            if (g is null || !await AccountsApi.VisibleAsync(check, user, g.AccountId)) return Problems.NotFound($"Charge agreement {chargeId}");
        }
        DateOnly? day = null;
        if (to is not null)
        {
            if (!ChargeDays.TryParse(to, out var d)) return Problems.Field("to", "Must be a day yyyy-MM-dd from 2000-01-01 to 2099-12-31.");
            day = d;
        }
        var now = time.GetUtcNow();
        var (problem, agreement, posted) = await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var g = (await ChargeAgreement.FindAsync(connection, tx, chargeId))!;
            if (g.EndedAtMs is not null) return ((IResult?)Problems.Conflict($"Charge agreement {chargeId} has already ended."), (ChargeAgreement?)g, new List<PostedCharge>());
            var end = day ?? ChargeTerms.DayOf(now, g.Zone);
            if (end < ChargeDays.Parse(g.FromDay))
                return (Problems.Field("to", $"Must not be before the agreement's first day {g.FromDay}."), g, []);
            var corrections = await ChargePosting.EndAsync(connection, tx, db.Dialect, outbox, g, end, user.Id(), now);
            // A last period that ends before its due day falls due on its last covered day: it may be due now.
            var due = await ChargePosting.PostDueAsync(connection, tx, db.Dialect, outbox, new ChargeScope(AgreementId: chargeId), now, now);
            return ((IResult?)null, await ChargeAgreement.FindAsync(connection, tx, chargeId), [.. corrections, .. due]);
        }, ct);
        return problem ?? TypedResults.Ok(Shape(agreement!, posted));
    }

    static async Task<IResult> Run(RunChargesRequest r, ClaimsPrincipal user, ChargeRun run, TimeProvider time, CancellationToken ct)
    {
        var at = ApiFormat.Instant(r.At!);
        var now = time.GetUtcNow();
        if (at > now) return Problems.Field("at", "Must not be later than now: charges are posted when they fall due, never ahead.");
        var posted = await run.RunAsync(at, now, user.SitesJson(), ct);
        return TypedResults.Ok(new { at = ApiFormat.Instant(at), posted = posted.Select(c => c.Shape()) });
    }

    static async Task<IResult> List(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct,
        [Range(0, int.MaxValue)] int offset = 0, [Range(1, 500)] int limit = 100)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var agreements = await connection.QueryAsync<ChargeAgreement>(ChargeAgreement.Select + " WHERE g.account_id = @accountId ORDER BY g.id", new { accountId });
        var charges = await connection.QueryAsync<PostedCharge>(
            db.Dialect.Page(PostedCharge.Select + " WHERE c.account_id = @accountId ORDER BY c.at_ms DESC, c.id DESC", "@offset", "@limit"),
            new { accountId, offset, limit });
        return TypedResults.Ok(new { accountId, agreements = agreements.Select(g => g.Shape()), charges = charges.Select(c => c.Shape()) });
    }
}
