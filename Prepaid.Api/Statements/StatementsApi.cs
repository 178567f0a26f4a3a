using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Reports;

namespace Prepaid.Api.Statements;

public static class StatementsApi
{
    public static readonly string[] Groups = ["day", "month"];

    /// <summary>Every posting is a line without a grouping: more than this asks for one (5-second readings post thousands a day).</summary>
    public const int MaxLines = 20_000;

    /// <summary>A grouped statement replays every reading of its period: at most this many days.</summary>
    public const int MaxDays = 400;

    public static void MapStatements(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{accountId:long}/statements", Get).RequireAuthorization().WithTags("Accounts")
            .WithSummary("R36: opening balance, every posting with its explanation, closing balance for [from, to) (dates in the site's zone; " +
                         "default this month); group=day|month gives subtotals per period, kind and meter");
    }

    static async Task<IResult> Get(long accountId, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct,
        string? from = null, string? to = null, string format = "json", string? group = null)
    {
        if (format != "json") return Problems.Field("format", "Must be json (pdf and xlsx are not available yet).");
        if (group is not null && !Groups.Contains(group)) return Problems.Field("group", "Must be day or month.");
        await using var connection = await db.OpenAsync(ct);
        // A tenant asking for another tenant's account hears "not found", as for the account itself.
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var account = await connection.QuerySingleAsync<(long WalletLedgerId, string TimeZone)>(
            "SELECT a.wallet_ledger_id, s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.id = @accountId", new { accountId });
        var zone = ApiFormat.Zone(account.TimeZone);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var defaultFrom = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd");
        var defaultTo = today.AddDays(1).ToString("yyyy-MM-dd");
        if (!ReportQuery.TryParse(from ?? defaultFrom, to ?? defaultTo, null, null, zone, out var q, out var problem)) return problem!;
        if (group is not null && q.ToMs - q.FromMs > MaxDays * 86_400_000L)
            return Problems.Field("to", $"A grouped statement covers at most {MaxDays} days.");
        if (group is null && await StatementLedger.CountAsync(connection, accountId, account.WalletLedgerId, q.FromMs, q.ToMs) > MaxLines)
            return Problems.Field("group", $"The period has more than {MaxLines} postings: ask for group=day or group=month.");

        return TypedResults.Ok(await Statement.BuildAsync(connection, db.Dialect, accountId, account.WalletLedgerId, account.TimeZone, q.FromMs, q.ToMs, group));
    }
}
