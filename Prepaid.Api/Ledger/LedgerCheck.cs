using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Data;

namespace Prepaid.Api.Ledger;

public sealed record InvariantResult(string Name, bool Holds, string Detail);

/// <summary>
/// R22, checked against the stored data (the ledger's lines: postings and the billed readings that carry their own
/// debit, view ledger_lines): debits equal credits, every stored balance equals its lines,
/// no idempotency key is reused, each meter's debits (R30's corrections counted with their sign) equal its exact
/// cumulative cost rounded once (R4, across swaps R27) and the amounts its billed reading rows carry, each site's refunds pending holds exactly its refunds held and
/// not yet settled (R25), its deposits account its deposits not returned (R29), its tenant debts the debts recorded at
/// move-out (R26), and every charge its posting (R28).
/// </summary>
public static class LedgerCheck
{
    /// <summary>Each statement reads every line of the ledger: on a site with years of readings that takes longer than a request's 30 s.</summary>
    const int CheckTimeoutSeconds = 3600;

    public static async Task<IReadOnlyList<InvariantResult>> RunAsync(Db db, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var results = new List<InvariantResult>();
        // The reading lines join readings to their meters and accounts. Right after a bulk of readings (an import, a catch-up)
        // PostgreSQL's statistics may still count readings as a few rows, and a nested loop over readings planned on them
        // did not end within minutes for 500,000 readings; fresh statistics (a sample, no lock on writers) give hash joins.
        if (db.Dialect.RefreshStatistics("readings", "account_meters", "postings", "ledger_accounts") is { } analyze)
            await connection.ExecuteAsync(analyze, commandTimeout: CheckTimeoutSeconds);

        // The lines are the postings and the billed readings that carry their own debit (the view ledger_lines).
        var sums = await connection.QuerySingleAsync<(long? Debits, long? Credits, long? Balances)>("""
            SELECT (SELECT CAST(SUM(amount_fen) AS BIGINT) FROM ledger_lines), (SELECT CAST(SUM(amount_fen) AS BIGINT) FROM ledger_lines), (SELECT CAST(SUM(balance_fen) AS BIGINT) FROM ledger_accounts)
            """, commandTimeout: CheckTimeoutSeconds);
        // Every line debits and credits the same amount, so Σ balances (credits − debits) over all ledger accounts is zero.
        results.Add(new("debits equal credits", (sums.Balances ?? 0) == 0 && sums.Debits == sums.Credits,
            $"Σ debits {sums.Debits ?? 0} fen, Σ credits {sums.Credits ?? 0} fen, Σ balances {sums.Balances ?? 0} fen"));

        var broken = (await connection.QueryAsync<(long Id, string Kind, long Stored, long Posted)>("""
            SELECT l.id, l.kind, l.balance_fen, COALESCE(c.total, 0) - COALESCE(d.total, 0)
            FROM ledger_accounts l
            LEFT JOIN (SELECT credit_ledger_id AS id, CAST(SUM(amount_fen) AS BIGINT) AS total FROM ledger_lines GROUP BY credit_ledger_id) c ON c.id = l.id
            LEFT JOIN (SELECT debit_ledger_id AS id, CAST(SUM(amount_fen) AS BIGINT) AS total FROM ledger_lines GROUP BY debit_ledger_id) d ON d.id = l.id
            """, commandTimeout: CheckTimeoutSeconds)).Where(r => r.Stored != r.Posted).ToList();
        results.Add(new("stored balances equal postings", broken.Count == 0, broken.Count == 0 ? "every ledger account"
            : $"ledger account {broken[0].Id} ({broken[0].Kind}) stores {broken[0].Stored} fen but its postings sum to {broken[0].Posted} fen ({broken.Count} broken)"));

        // A line without a stored key has its reading's (meter, instant) as key: a billed reading is one line, so no
        // posting row may repeat it, keyless or under the reading's key written out.
        var reused = (await connection.QueryAsync<(string? Key, long? MeterId, long AtMs)>("""
            SELECT transfer_key, MIN(meter_id), 0 FROM postings WHERE transfer_key IS NOT NULL GROUP BY transfer_key, leg HAVING COUNT(*) > 1
            UNION ALL
            SELECT transfer_key, MIN(meter_id), 0 FROM postings WHERE transfer_key IS NOT NULL GROUP BY transfer_key HAVING COUNT(DISTINCT at_ms) > 1
            UNION ALL
            SELECT NULL, meter_id, at_ms FROM ledger_lines WHERE transfer_key IS NULL GROUP BY meter_id, at_ms HAVING COUNT(*) > 1
            UNION ALL
            SELECT p.transfer_key, p.meter_id, p.at_ms FROM postings p
            WHERE p.transfer_key LIKE 'reading:%' AND EXISTS (SELECT 1 FROM ledger_lines l WHERE l.transfer_key IS NULL AND l.meter_id = p.meter_id AND l.at_ms = p.at_ms)
            """, commandTimeout: CheckTimeoutSeconds)).ToList();
        results.Add(new("idempotency keys unique", reused.Count == 0, reused.Count == 0 ? "no key appears twice"
            : $"key {reused[0].Key ?? TransferKeys.Reading(reused[0].MeterId ?? 0, reused[0].AtMs)} appears twice"));
        var unread = await connection.QueryFirstOrDefaultAsync<(long Id, long? MeterId, long AtMs)>("""
            SELECT p.id, p.meter_id, p.at_ms FROM postings p
            WHERE p.transfer_key IS NULL AND (p.kind <> 'consumption' OR p.meter_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM readings r WHERE r.meter_block = p.meter_id / 64 AND r.meter_id = p.meter_id AND r.at_ms = p.at_ms AND r.status IN ('billed', 'superseded')))
            """, commandTimeout: CheckTimeoutSeconds);
        results.Add(new("consumption postings have their billed reading", unread.Id == 0, unread.Id == 0 ? "every posting without a stored key"
            : $"posting {unread.Id} (reading:{unread.MeterId}:{unread.AtMs}) has no billed reading"));

        // R27: a swapped-in meter carries what the meters it continues debited, so its debits are its own lines plus those.
        var meters = await connection.QueryAsync<(long Id, long MeterId, string ExactCost, long DebitedFen, long Posted)>("""
            SELECT am.id, am.meter_id, am.exact_cost, am.debited_fen, COALESCE(p.total, 0) + am.carried_fen
            FROM account_meters am
            LEFT JOIN (SELECT p.account_id, p.meter_id, CAST(SUM(CASE WHEN p.debit_ledger_id = a.wallet_ledger_id THEN p.amount_fen ELSE -p.amount_fen END) AS BIGINT) AS total
                       FROM ledger_lines p JOIN accounts a ON a.id = p.account_id WHERE p.kind IN ('consumption', 'reestimate')
                       GROUP BY p.account_id, p.meter_id) p
                   ON p.account_id = am.account_id AND p.meter_id = am.meter_id
            """, commandTimeout: CheckTimeoutSeconds);
        var drift = meters.FirstOrDefault(m =>
            m.DebitedFen != m.Posted ||
            m.DebitedFen != Engine.Money.Round(decimal.Parse(m.ExactCost, System.Globalization.CultureInfo.InvariantCulture)).Fen);
        results.Add(new("meter debits equal rounded exact cost", drift.Id == 0, drift.Id == 0 ? "every account meter"
            : $"meter {drift.MeterId}: exact {drift.ExactCost}, debited {drift.DebitedFen} fen, postings {drift.Posted} fen"));

        // R4 on the reading rows: each billed reading carries the debit it posted (estimates that were superseded keep
        // theirs, a real reading after them carries the difference), so an account meter's readings add up to what it debited.
        var readings = await connection.QueryFirstOrDefaultAsync<(long Id, long MeterId, long DebitedFen, long Carried, long Read)>("""
            SELECT am.id, am.meter_id, am.debited_fen, am.carried_fen, COALESCE(r.total, 0)
            FROM account_meters am
            LEFT JOIN (SELECT account_meter_id, CAST(SUM(amount_fen) AS BIGINT) AS total FROM readings
                       WHERE status IN ('billed', 'superseded') AND amount_fen IS NOT NULL GROUP BY account_meter_id) r
                   ON r.account_meter_id = am.id
            WHERE COALESCE(r.total, 0) + am.carried_fen <> am.debited_fen
            """, commandTimeout: CheckTimeoutSeconds);
        results.Add(new("billed readings equal their meter's postings", readings.Id == 0, readings.Id == 0 ? "every account meter"
            : $"meter {readings.MeterId}: its billed readings carry {readings.Read} fen (+{readings.Carried} carried), its postings and debits {readings.DebitedFen} fen"));

        var hold = (await connection.QueryAsync<(long SiteId, long Balance, long Held)>("""
            SELECT l.site_id, l.balance_fen, COALESCE((SELECT CAST(SUM(r.amount_fen) AS BIGINT) FROM payment_refunds r JOIN accounts a ON a.id = r.account_id
                                                       WHERE a.site_id = l.site_id AND r.state = 'pending' AND r.held_at_ms IS NOT NULL), 0)
            FROM ledger_accounts l WHERE l.kind = 'refunds_pending' AND l.account_id IS NULL
            """, commandTimeout: CheckTimeoutSeconds)).FirstOrDefault(h => h.Balance != h.Held);
        results.Add(new("refunds pending equal held refunds", hold.SiteId == 0, hold.SiteId == 0 ? "every site"
            : $"site {hold.SiteId}: refunds pending holds {hold.Balance} fen, its pending refunds {hold.Held} fen"));

        // R29: a site's deposits account holds exactly its accounts' deposits not yet returned at move-out.
        var deposits = (await connection.QueryAsync<(long SiteId, long Balance, long Held)>("""
            SELECT l.site_id, l.balance_fen,
                   COALESCE((SELECT CAST(SUM(d.amount_fen) AS BIGINT) FROM deposits d JOIN accounts a ON a.id = d.account_id WHERE a.site_id = l.site_id), 0)
                 - COALESCE((SELECT CAST(SUM(c.deposit_returned_fen) AS BIGINT) FROM account_closures c JOIN accounts a ON a.id = c.account_id WHERE a.site_id = l.site_id), 0)
            FROM ledger_accounts l WHERE l.kind = 'deposits' AND l.account_id IS NULL
            """, commandTimeout: CheckTimeoutSeconds)).FirstOrDefault(d => d.Balance != d.Held);
        results.Add(new("deposits held equal the deposits ledger", deposits.SiteId == 0, deposits.SiteId == 0 ? "every site"
            : $"site {deposits.SiteId}: the deposits account holds {deposits.Balance} fen, its accounts' deposits not returned {deposits.Held} fen"));

        // R26: what tenants owe after moving out is the site's receivable (a debit balance).
        var debts = (await connection.QueryAsync<(long SiteId, long Balance, long Owed)>("""
            SELECT l.site_id, l.balance_fen,
                   COALESCE((SELECT CAST(SUM(c.debt_fen) AS BIGINT) FROM account_closures c JOIN accounts a ON a.id = c.account_id WHERE a.site_id = l.site_id), 0)
            FROM ledger_accounts l WHERE l.kind = 'tenant_debts' AND l.account_id IS NULL
            """, commandTimeout: CheckTimeoutSeconds)).FirstOrDefault(d => d.Balance != -d.Owed);
        results.Add(new("tenant debts equal the debts recorded at move-out", debts.SiteId == 0, debts.SiteId == 0 ? "every site"
            : $"site {debts.SiteId}: the tenant debts account holds {debts.Balance} fen, debts recorded {debts.Owed} fen"));

        // R28: every charge row is its posting, in its direction and amount; what charges that never trip are owed is part
        // of the debt (0 ≤ owed ≤ −balance when negative).
        var charge = await connection.QueryFirstOrDefaultAsync<(long Id, string Key, long AmountFen)>("""
            SELECT c.id, c.transfer_key, c.amount_fen FROM charges c JOIN accounts a ON a.id = c.account_id
            LEFT JOIN postings p ON p.transfer_key = c.transfer_key AND p.leg = 0
            WHERE p.id IS NULL OR p.amount_fen <> ABS(c.amount_fen)
               OR (c.amount_fen > 0 AND p.debit_ledger_id <> a.wallet_ledger_id) OR (c.amount_fen < 0 AND p.credit_ledger_id <> a.wallet_ledger_id)
            """, commandTimeout: CheckTimeoutSeconds);
        results.Add(new("charges equal their postings", charge.Id == 0, charge.Id == 0 ? "every charge"
            : $"charge {charge.Id} ({charge.Key}, {charge.AmountFen} fen) has no matching posting"));
        var owed = await connection.QueryFirstOrDefaultAsync<(long Id, long Owed, long Balance)>("""
            SELECT a.id, a.charge_arrears_fen, l.balance_fen FROM accounts a JOIN ledger_accounts l ON l.id = a.wallet_ledger_id
            WHERE a.charge_arrears_fen < 0 OR a.charge_arrears_fen > CASE WHEN l.balance_fen < 0 THEN -l.balance_fen ELSE 0 END
            """, commandTimeout: CheckTimeoutSeconds);
        results.Add(new("charge arrears within the debt", owed.Id == 0, owed.Id == 0 ? "every account"
            : $"account {owed.Id}: charges owed {owed.Owed} fen with a balance of {owed.Balance} fen"));
        return results;
    }

    public static void MapLedgerCheck(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/ledger-check", async (Db db, CancellationToken ct) =>
        {
            var results = await RunAsync(db, ct);
            var first = results.FirstOrDefault(r => !r.Holds);
            return TypedResults.Ok(new { ok = first is null, firstBroken = first?.Name, checks = results });
        }).RequireAuthorization(Roles.AdminOnly).WithTags("Admin").WithSummary("Check the ledger's invariants (R22)");
}
