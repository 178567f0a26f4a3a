using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Charges;

/// <summary>Which agreements a run looks at: one, one account's, the sites a user sees (null: all).</summary>
public sealed record ChargeScope(long? AgreementId = null, long? AccountId = null, string? SitesJson = null);

/// <summary>
/// R28 inside the caller's transaction. A period's amount is debited from the wallet to the charge's income account on
/// its due date under <c>charge:&lt;agreement&gt;:&lt;period&gt;</c>, pro rata by days where the agreement covers only part
/// of it, and R16 follows (a charge whose agreement never trips counts as <see cref="ChargeArrears"/>). Each agreement
/// remembers the end of the last period posted, so a run posts only what fell due since and running twice posts
/// nothing more. Ending an agreement inside periods already charged posts the difference back under
/// <c>charge-end:&lt;agreement&gt;:&lt;period&gt;:&lt;end day&gt;</c>.
/// </summary>
public static class ChargePosting
{
    /// <summary>Posts every period due by <paramref name="dueBy"/>; switching acts at <paramref name="now"/>.</summary>
    public static async Task<List<PostedCharge>> PostDueAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, OutboxWriter outbox,
        ChargeScope scope, DateTimeOffset dueBy, DateTimeOffset now)
    {
        var agreements = (await connection.QueryAsync<ChargeAgreement>($"""
            {ChargeAgreement.Select}
            WHERE a.closed_at_ms IS NULL AND (g.to_day IS NULL OR g.charged_to_day IS NULL OR g.charged_to_day < g.to_day)
              AND (@AgreementId IS NULL OR g.id = @AgreementId) AND (@AccountId IS NULL OR g.account_id = @AccountId)
              AND (@SitesJson IS NULL OR a.site_id IN {dialect.IdsFromJson("@SitesJson")})
            ORDER BY g.id
            """, scope, tx)).ToList();
        var due = new List<(ChargeAgreement Agreement, ChargePeriod Period, DateTimeOffset DueAt)>();
        foreach (var g in agreements)
        {
            var terms = g.Terms;
            var zone = g.Zone;
            var after = g.ChargedToDay is null ? DateOnly.MinValue : ChargeDays.Parse(g.ChargedToDay);
            foreach (var p in terms.Periods(ChargeTerms.DayOf(dueBy, zone).AddDays(1), after))
            {
                var at = ChargeTerms.DueAt(p, zone);
                if (at > dueBy) break;
                due.Add((g, p, at));
            }
        }
        if (due.Count == 0) return [];

        var poster = await Poster.LoadAsync(connection, tx, dialect, due.Select(d => d.Agreement.AccountId));
        var posted = new List<long>();
        // In due order across agreements, so balances after each posting read as they happened.
        foreach (var (g, p, at) in due.OrderBy(d => d.DueAt).ThenBy(d => d.Agreement.Id))
        {
            var amount = g.Terms.AmountFor(p);
            if (amount.Fen > 0)
                posted.Add(await poster.PostAsync(g, p, amount, $"charge:{g.Id}:{p.Key}", at, now, outbox));
            await connection.ExecuteAsync("UPDATE charge_agreements SET charged_to_day = @end WHERE id = @Id",
                new { end = ChargeDays.Text(p.End), g.Id }, tx);
        }
        await poster.FlushAsync();
        return await LoadAsync(connection, tx, dialect, posted);
    }

    /// <summary>
    /// Ends an agreement: the first day no longer charged becomes <paramref name="to"/> if that is earlier than its end,
    /// and every period already charged beyond it is corrected to its days now covered. Due periods are the caller's.
    /// </summary>
    public static async Task<List<PostedCharge>> EndAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, OutboxWriter outbox,
        ChargeAgreement g, DateOnly to, long? userId, DateTimeOffset now)
    {
        var from = ChargeDays.Parse(g.FromDay);
        if (to < from) to = from;
        if (g.ToDay is { } current && ChargeDays.Parse(current) <= to) to = ChargeDays.Parse(current);
        await connection.ExecuteAsync("UPDATE charge_agreements SET to_day = @to, ended_at_ms = COALESCE(ended_at_ms, @nowMs), ended_by = COALESCE(ended_by, @userId) WHERE id = @Id",
            new { to = ChargeDays.Text(to), nowMs = now.ToUnixTimeMilliseconds(), userId, g.Id }, tx);
        if (g.ChargedToDay is null) return [];

        var ended = g with { ToDay = ChargeDays.Text(to) };
        var terms = ended.Terms;
        var chargedTo = ChargeDays.Parse(g.ChargedToDay);
        var sums = (await connection.QueryAsync<(string Key, long Fen)>(
            "SELECT period_key, SUM(amount_fen) FROM charges WHERE agreement_id = @Id GROUP BY period_key", new { g.Id }, tx))
            .ToDictionary(r => r.Key, r => r.Fen);
        var corrections = new List<(ChargePeriod Period, Money Difference)>();
        for (var start = ChargeTerms.PeriodStart(terms.Period, to); start < chargedTo; start = ChargeTerms.Next(terms.Period, start))
        {
            var p = terms.At(start);
            var difference = terms.AmountFor(p).Fen - sums.GetValueOrDefault(p.Key);
            if (difference != 0) corrections.Add((p, new Money(difference)));
        }
        if (corrections.Count == 0) return [];
        var poster = await Poster.LoadAsync(connection, tx, dialect, [g.AccountId]);
        var posted = new List<long>();
        foreach (var (p, difference) in corrections)
            posted.Add(await poster.PostAsync(ended, p, difference, $"charge-end:{g.Id}:{p.Key}:{ChargeDays.Text(to)}", now, now, outbox));
        await poster.FlushAsync();
        return await LoadAsync(connection, tx, dialect, posted);
    }

    static async Task<List<PostedCharge>> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, List<long> ids) =>
        ids.Count == 0 ? [] : (await connection.QueryAsync<PostedCharge>(
            $"{PostedCharge.Select} WHERE c.id IN {dialect.IdsFromJson("@ids")} ORDER BY c.id", new { ids = System.Text.Json.JsonSerializer.Serialize(ids) }, tx)).ToList();

    /// <summary>Accounts, sites and balances loaded once for a run's postings, written back once.</summary>
    sealed class Poster(DbConnection connection, DbTransaction tx, SqlDialect dialect, LedgerWriter ledger, Dictionary<long, AccountRuntime> accounts,
        Dictionary<long, SiteRuntime> sites, Dictionary<long, List<long>> meters)
    {
        public static async Task<Poster> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IEnumerable<long> accountIds)
        {
            var ids = accountIds.Distinct().ToList();
            var accounts = await AccountRuntime.LoadAsync(connection, tx, dialect, ids);
            var sites = new Dictionary<long, SiteRuntime>();
            foreach (var siteId in accounts.Values.Select(a => a.SiteId).Distinct())
                sites[siteId] = (await SiteRuntime.LoadAsync(connection, tx, siteId))!;
            var meters = (await connection.QueryAsync<(long AccountId, long MeterId)>(
                    $"SELECT account_id, meter_id FROM account_meters WHERE closed_at_ms IS NULL AND account_id IN {dialect.IdsFromJson("@ids")} ORDER BY meter_id",
                    new { ids = System.Text.Json.JsonSerializer.Serialize(ids) }, tx))
                .GroupBy(m => m.AccountId).ToDictionary(g => g.Key, g => g.Select(m => m.MeterId).ToList());
            var ledger = new LedgerWriter(connection, tx, dialect);
            await ledger.LoadAsync(accounts.Values.Select(a => a.WalletLedgerId).Concat(sites.Values.SelectMany(s => s.LedgerIds.Values)));
            return new Poster(connection, tx, dialect, ledger, accounts, sites, meters);
        }

        /// <summary>A positive amount debits the wallet, a negative one credits it back; the row goes into charges.</summary>
        public async Task<long> PostAsync(ChargeAgreement g, ChargePeriod p, Money amount, string key, DateTimeOffset at, DateTimeOffset now, OutboxWriter outbox)
        {
            var account = accounts[g.AccountId];
            var site = sites[account.SiteId];
            var (postingKind, incomeKind) = ChargeKinds.Of(g.Kind);
            var income = site.LedgerIds[incomeKind];
            var atMs = at.ToUnixTimeMilliseconds();
            var before = new Money(ledger.Balance(account.WalletLedgerId));
            if (amount > Money.Zero) ledger.Post(key, 0, postingKind, atMs, account.Id, null, account.WalletLedgerId, income, amount.Fen);
            else ledger.Post(key, 0, postingKind, atMs, account.Id, null, income, account.WalletLedgerId, (-amount).Fen);
            var after = new Money(ledger.Balance(account.WalletLedgerId));
            account.AfterPosting(site, before, after, now, meters.GetValueOrDefault(account.Id) ?? [], outbox,
                g.Trips == 0 && amount > Money.Zero ? amount : Money.Zero);
            return await connection.ExecuteScalarAsync<long>(dialect.InsertReturningId("charges",
                "agreement_id, account_id, period_key, period_start, days, period_days, amount_fen, transfer_key, at_ms, posted_at_ms",
                "@agreementId, @accountId, @periodKey, @periodStart, @days, @periodDays, @amountFen, @key, @atMs, @postedAtMs"), new
            {
                agreementId = g.Id, accountId = g.AccountId, periodKey = p.Key, periodStart = ChargeDays.Text(p.Start), days = p.CoveredDays,
                periodDays = p.Days, amountFen = amount.Fen, key, atMs, postedAtMs = now.ToUnixTimeMilliseconds(),
            }, tx);
        }

        public async Task FlushAsync()
        {
            await ledger.FlushAsync(CancellationToken.None);
            await AccountRuntime.SaveAsync(connection, tx, accounts.Values);
        }
    }
}
