using System.Data.Common;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Reports;
using Prepaid.Engine;

namespace Prepaid.Api.Building;

/// <summary>
/// R35: what the tenants were charged for a utility over [from, to) (their consumption debits to the site's revenue of
/// that utility, net of credits back, by the readings' instants), set against the utility's bill; the difference posted to
/// them pro rata under compensation:&lt;run&gt;:&lt;account&gt;. The same period and bill again answers the first run.
/// </summary>
public sealed class CompensationRunner(Db db, TimeProvider time, IPostingEvents events)
{
    public const string PostingKind = "compensation";

    sealed record Period(long SiteId, Utility Utility, string UtilityName, long FromMs, long ToMs, TimeZoneInfo Zone, Money Bill);

    public async Task<IResult> PreviewAsync(CompensationRequest r, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var (period, problem) = await ParseAsync(connection, r, user);
        if (problem is not null) return problem;
        var charged = await ChargedAsync(connection, null, period!);
        var split = Compensation.Split(period!.Bill, [.. charged.Values]);
        return TypedResults.Ok(Result(null, period, charged, split, alreadyRun: false, posted: false));
    }

    public async Task<IResult> RunAsync(CompensationRequest r, ClaimsPrincipal user, CancellationToken ct)
    {
        Period? period;
        await using (var connection = await db.OpenAsync(ct))
        {
            (period, var problem) = await ParseAsync(connection, r, user);
            if (problem is not null) return problem;
        }
        var p = period!;
        var now = time.GetUtcNow();
        return await PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var previous = await connection.QuerySingleOrDefaultAsync<(long Id, long BillFen, string ResultJson)?>(
                "SELECT id, bill_fen, result_json FROM compensations WHERE site_id = @SiteId AND utility = @UtilityName AND from_ms = @FromMs AND to_ms = @ToMs",
                new { p.SiteId, p.UtilityName, p.FromMs, p.ToMs }, tx);
            if (previous is { } prev)
            {
                if (prev.BillFen != p.Bill.Fen)
                    return Problems.Field("utilityBill", $"This period was compensated for a bill of {ApiFormat.Amount(prev.BillFen)}.", StatusCodes.Status409Conflict,
                        "The period has been compensated already.");
                var node = JsonNode.Parse(prev.ResultJson)!;
                node["alreadyRun"] = true;
                return (IResult)TypedResults.Ok(node);
            }
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM compensations WHERE site_id = @SiteId AND utility = @UtilityName AND from_ms < @ToMs AND to_ms > @FromMs",
                    new { p.SiteId, p.UtilityName, p.FromMs, p.ToMs }, tx) > 0)
                return Problems.Field("from", "The period overlaps a period already compensated for this utility.", StatusCodes.Status409Conflict, "The period overlaps another.");

            var charged = await ChargedAsync(connection, tx, p);
            var split = Compensation.Split(p.Bill, [.. charged.Values]);
            if (split is null)
                return Problems.Field("utilityBill", "No tenant was charged for this utility in the period: there is nothing to share the difference by.",
                    StatusCodes.Status422UnprocessableEntity, "Nothing to share by.");

            var nowMs = now.ToUnixTimeMilliseconds();
            var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("compensations",
                "site_id, utility, from_ms, to_ms, bill_fen, charged_fen, result_json, user_id, created_at_ms",
                "@SiteId, @UtilityName, @FromMs, @ToMs, @bill, @chargedFen, '{}', @userId, @nowMs"),
                new { p.SiteId, p.UtilityName, p.FromMs, p.ToMs, bill = p.Bill.Fen, chargedFen = charged.Values.Sum(c => c.Fen), userId = user.Id(), nowMs }, tx);

            var site = (await SiteRuntime.LoadAsync(connection, tx, p.SiteId))!;
            var revenue = site.LedgerIds[SiteLedger.Revenue(p.Utility)];
            var accounts = await AccountRuntime.LoadAsync(connection, tx, db.Dialect, charged.Keys);
            var ledger = new LedgerWriter(connection, tx, db.Dialect);
            await ledger.LoadAsync(accounts.Values.Select(a => a.WalletLedgerId).Append(revenue));
            var ids = charged.Keys.ToList();
            for (var i = 0; i < ids.Count; i++)
            {
                var amount = split.Value.Shares[i];
                if (amount.Fen == 0) continue;
                var account = accounts[ids[i]];
                var before = new Money(ledger.Balance(account.WalletLedgerId));
                var (debit, credit) = amount.Fen > 0 ? (account.WalletLedgerId, revenue) : (revenue, account.WalletLedgerId);
                ledger.Post($"compensation:{id}:{account.Id}", 0, PostingKind, nowMs, account.Id, null, debit, credit, Math.Abs(amount.Fen));
                var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @Id AND closed_at_ms IS NULL", new { account.Id }, tx)).ToList();
                account.AfterPosting(site, before, new Money(ledger.Balance(account.WalletLedgerId)), now, meterIds, outbox);
            }
            var result = Result(id, p, charged, split, alreadyRun: false, posted: true);
            await connection.ExecuteAsync("UPDATE compensations SET result_json = @json WHERE id = @id", new { id, json = JsonSerializer.Serialize(result) }, tx);
            await ledger.FlushAsync(ct);
            await AccountRuntime.SaveAsync(connection, tx, accounts.Values);
            return TypedResults.Created($"/api/compensations/{id}", result);
        }, ct);
    }

    async Task<(Period?, IResult?)> ParseAsync(DbConnection connection, CompensationRequest r, ClaimsPrincipal user)
    {
        var zoneId = await connection.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @SiteId", new { r.SiteId });
        if (zoneId is null || !user.MaySee(r.SiteId))
            return (null, Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found."));
        var zone = ApiFormat.Zone(zoneId);
        var from = ReportQuery.Parse(r.From, zone);
        var to = ReportQuery.Parse(r.To, zone);
        var errors = new Dictionary<string, string[]>();
        if (from is null) errors["from"] = ["Must be a date (2026-11-01, in the site's zone) or an ISO 8601 instant with offset."];
        if (to is null) errors["to"] = ["Must be a date (2026-12-01, in the site's zone) or an ISO 8601 instant with offset."];
        // Either bound may be the wrong one: both are named.
        if (from is not null && to is not null && to <= from) (errors["from"], errors["to"]) = (["Must be before to."], ["Must be later than from."]);
        if (to is not null && to > time.GetUtcNow()) errors["to"] = ["The period must have ended."];
        if (errors.Count > 0) return (null, Problems.Fields(errors));
        ApiFormat.TryUtility(r.Utility, out var utility);
        return (new Period(r.SiteId, utility, r.Utility!, from!.Value.ToUnixTimeMilliseconds(), to!.Value.ToUnixTimeMilliseconds(), zone,
            new Money(ApiFormat.Fen(r.UtilityBill!))), null);
    }

    /// <summary>Per account, in account order: what its wallet paid the utility's revenue in the period, less what came back.</summary>
    static async Task<SortedDictionary<long, Money>> ChargedAsync(DbConnection connection, DbTransaction? tx, Period p)
    {
        var rows = await connection.QueryAsync<(long AccountId, long Fen)>("""
            SELECT p.account_id, SUM(CASE WHEN p.credit_ledger_id = r.id THEN p.amount_fen ELSE -p.amount_fen END) AS fen
            FROM ledger_lines p
            JOIN ledger_accounts r ON r.site_id = @SiteId AND r.account_id IS NULL AND r.kind = @revenue
            JOIN accounts a ON a.id = p.account_id
            WHERE (p.credit_ledger_id = r.id AND p.debit_ledger_id = a.wallet_ledger_id OR p.debit_ledger_id = r.id AND p.credit_ledger_id = a.wallet_ledger_id)
              AND p.kind <> @kind AND p.at_ms >= @FromMs AND p.at_ms < @ToMs
            GROUP BY p.account_id
            """, new { p.SiteId, revenue = SiteLedger.Revenue(p.Utility), kind = PostingKind, p.FromMs, p.ToMs }, tx);
        return new SortedDictionary<long, Money>(rows.Where(r => r.Fen != 0).ToDictionary(r => r.AccountId, r => new Money(r.Fen)));
    }

    static object Result(long? id, Period p, SortedDictionary<long, Money> charged, (Money Difference, Money[] Shares)? split, bool alreadyRun, bool posted) => new
    {
        id, siteId = p.SiteId, utility = p.UtilityName,
        from = ApiFormat.Instant(p.FromMs, p.Zone), to = ApiFormat.Instant(p.ToMs, p.Zone),
        utilityBill = p.Bill.ToString(), charged = new Money(charged.Values.Sum(c => c.Fen)).ToString(),
        difference = new Money(p.Bill.Fen - charged.Values.Sum(c => c.Fen)).ToString(),
        shareable = split is not null, posted, alreadyRun,
        accounts = charged.Keys.Select((accountId, i) => new
        {
            accountId, charged = charged[accountId].ToString(), amount = split is { } s ? s.Shares[i].ToString() : null,
        }),
    };
}
