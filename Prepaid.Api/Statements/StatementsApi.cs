using System.ComponentModel;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Reports;

namespace Prepaid.Api.Statements;

public static class StatementsApi
{
    public static readonly string[] Groups = ["day", "month", "quarter", "year"];
    public static readonly string[] Formats = ["json", "pdf", "xlsx"];

    /// <summary>Every posting is a line without a grouping: more than this asks for one (5-second readings post thousands a day).</summary>
    public const int MaxLines = 20_000;

    /// <summary>A grouped statement replays every reading of its period: at most this many days.</summary>
    public const int MaxDays = 400;

    public static void MapStatements(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{accountId:long}/statements", Get).RequireAuthorization().WithTags("Accounts")
            .WithSummary("R36: opening balance, every posting with its explanation, closing balance for [from, to) or a named period (dates in the site's zone; " +
                         "default this month); group=day|month|quarter|year gives subtotals per period, kind and meter; format=json|pdf|xlsx");
        app.MapPost("/api/statements/runs", StatementRun.RunAsync).RequireAuthorization(Auth.Roles.Manage).WithTags("Accounts")
            .Validate<StatementRunRequest, StatementRunValidator>()
            .WithSummary("Every account's statement of a site for a year (grouped by month), as one zip of PDFs or workbooks; each tenant who subscribed hears that it is ready");
    }

    static async Task<IResult> Get(long accountId, ClaimsPrincipal user, Db db, TimeProvider time, IConfiguration config, HttpRequest request, CancellationToken ct,
        string? from = null, string? to = null, [Description(StatementPeriod.Doc)] string? period = null, string format = "json", string? group = null)
    {
        if (!Formats.Contains(format)) return Problems.Field("format", "Must be json, pdf or xlsx.");
        if (group is not null && !Groups.Contains(group)) return Problems.Field("group", "Must be day, month, quarter or year.");
        if (period is not null && StatementPeriod.LocalBounds(period) is null) return Problems.Field("period", "Must be a year (2026), a quarter (2026-Q4), a month (2026-11) or a day (2026-11-05) between 2000 and 2099.");
        if (period is not null && (from is not null || to is not null)) return Problems.Field("period", "Give either period or from/to, not both.");
        await using var connection = await db.OpenAsync(ct);
        // A tenant asking for another tenant's account hears "not found", as for the account itself.
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var account = await connection.QuerySingleAsync<(long WalletLedgerId, string TimeZone)>(
            "SELECT a.wallet_ledger_id, s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.id = @accountId", new { accountId });
        var zone = ApiFormat.Zone(account.TimeZone);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        if (period is not null)
        {
            var (start, end) = StatementPeriod.LocalBounds(period)!.Value;
            from = DateOnly.FromDateTime(start).ToString("yyyy-MM-dd");
            to = DateOnly.FromDateTime(end).ToString("yyyy-MM-dd");
        }
        var defaultFrom = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd");
        var defaultTo = today.AddDays(1).ToString("yyyy-MM-dd");
        if (!ReportQuery.TryParse(from ?? defaultFrom, to ?? defaultTo, null, null, zone, out var q, out var problem)) return problem!;
        if (group is not null && q.ToMs - q.FromMs > MaxDays * 86_400_000L)
            return Problems.Field("to", $"A grouped statement covers at most {MaxDays} days.");
        if (group is null && await StatementLedger.CountAsync(connection, accountId, account.WalletLedgerId, q.FromMs, q.ToMs) > MaxLines)
            return Problems.Field("group", $"The period has more than {MaxLines} postings: ask for group=day or group=month.");

        var data = await Statement.BuildDataAsync(connection, db.Dialect, accountId, account.WalletLedgerId, account.TimeZone, q.FromMs, q.ToMs, group);
        if (format == "json") return TypedResults.Ok(Statement.Json(data));

        var name = period ?? $"{q.LocalDay(q.FromMs)}_{q.LocalDay(q.ToMs - 1)}";
        var heading = await StatementFile.HeadingAsync(connection, accountId, name);
        var file = await StatementFile.RenderAsync(data, heading, StatementLabels.For(request.Headers.AcceptLanguage), format, config, ct);
        return file.Problem ?? TypedResults.File(file.Bytes!, file.ContentType, file.FileName);
    }
}
