using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Alarms;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

// R30 within the judge and price steps: estimated readings, and a real reading that supersedes them.
public sealed partial class IngestRun
{
    /// <summary>An estimate standing in a meter's series: its instant, registers and the quantity it billed.</summary>
    sealed record StandingEstimate(long AtMs, Registers Registers, long QuantityMilli);

    /// <summary>The estimates billed since the anchor, stored or stored by this run, in time order.</summary>
    async Task<List<StandingEstimate>> StandingEstimatesAsync(MeterBilling m)
    {
        var anchor = m.Anchor!;
        var rows = await connection.QueryAsync<(long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, long? QuantityMilli)>("""
            SELECT at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, quantity_milli FROM readings
            WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND account_meter_id = @AccountMeterId AND source = 'estimate' AND status = 'billed' AND at_ms > @AtMs
            ORDER BY at_ms
            """, new { m.MeterId, m.AccountMeterId, anchor.AtMs }, tx);
        return rows.Select(e => new StandingEstimate(e.AtMs, RegisterJson.FromMilli(e.Total, e.Sharp, e.Peak, e.Flat, e.Valley), e.QuantityMilli ?? 0))
            .Concat(readings.Where(e => e.MeterId == m.MeterId && e.Source == ReadingSources.Estimate && e.Status == "billed" && e.AtMs > anchor.AtMs)
                .Select(e => new StandingEstimate(e.AtMs, e.Registers, e.QuantityMilli ?? 0)))
            .OrderBy(e => e.AtMs).ToList();
    }

    /// <summary>
    /// R30 and R4: a real reading after estimates. The meter's series is put back where real readings alone leave it —
    /// the anchor's registers and exact cumulative cost, the tier usage without the estimates' quantities (R13) — and the
    /// real delta is priced from there. The posting is round(that exact cost) − what was debited, estimates included:
    /// the difference, posted under reestimate:&lt;meter&gt;:&lt;timestamp&gt;, a credit when the estimates debited too much.
    /// Null, changing nothing, when the real delta has no price (R9b): the caller holds the reading.
    /// </summary>
    (Money Debit, long QuantityMilli, string Reason)? Supersede(MeterBilling m, DateTimeOffset at, Registers registers, ReadingVerdict verdict,
        IReadOnlyList<StandingEstimate> estimates, out string? unpriced)
    {
        var anchor = m.Anchor!;
        var accountId = m.AccountId!.Value;
        var usage = tieredAccounts.Contains(accountId) ? TierUsageOf(accountId, m.Spec.Utility) : null;
        var estimated = usage is null ? null : EstimatedUsage(m, anchor, estimates);
        var saved = (m.LastAtMs, m.Last, m.Charge);
        if (estimated is not null) AddUsage(usage!, estimated, -1);
        m.LastAtMs = anchor.AtMs;
        m.Last = anchor.Registers;
        m.Charge = new MeterCharge(anchor.ExactCost, m.Charge.Debited);
        if (Price(m, at, verdict.Quantity, verdict.PeriodQuantities, out unpriced) is not { } priced)
        {
            if (estimated is not null) AddUsage(usage!, estimated, +1);
            (m.LastAtMs, m.Last, m.Charge) = saved;
            return null;
        }
        if (estimated is not null)
            foreach (var period in estimated.Keys) tierDirty.Add((accountId, m.Spec.Utility, period));
        var atMs = at.ToUnixTimeMilliseconds();
        var transferKey = TransferKeys.Reestimate(m.MeterId, atMs);
        var debit = Bill(m, at, registers, priced, transferKey, "reestimate");
        m.Anchor = null;
        var reason = FormattableString.Invariant(
            $"Supersedes {estimates.Count} estimated reading(s) since the real one at {DateTimeOffset.FromUnixTimeMilliseconds(anchor.AtMs):O}: the real delta is priced from there and the difference to what the estimates debited is posted under {transferKey} (R30).");
        return (debit, priced.QuantityMilli - estimates.Sum(e => e.QuantityMilli), reason);
    }

    /// <summary>
    /// What the estimates added to each tier period's usage (R13): each estimated delta shared by time over its interval,
    /// exactly as pricing counted it, whatever the tariff (the shares depend on time and month starts only).
    /// </summary>
    Dictionary<string, decimal> EstimatedUsage(MeterBilling m, EstimateAnchor anchor, IReadOnlyList<StandingEstimate> estimates)
    {
        var byTime = new Tariff(m.Spec.Utility, [new FlatVersion(DateTimeOffset.MinValue, 0m)]);
        var added = new Dictionary<string, decimal>();
        var (previousAt, previous) = (DateTimeOffset.FromUnixTimeMilliseconds(anchor.AtMs), anchor.Registers);
        foreach (var e in estimates)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs);
            if (ReadingCheck.Accept(m.Spec, previous, e.Registers) is { Kind: VerdictKind.Billable } delta)
                foreach (var (key, quantity) in Pricing.Price(new PricingRequest(byTime, sites[m.SiteId].Zone, previousAt, at, delta.Quantity, null,
                             TierUsage.Empty)).UsageAfter.UsedByPeriod)
                    added[key] = added.GetValueOrDefault(key) + quantity;
            (previousAt, previous) = (at, e.Registers);
        }
        return added;
    }

    static void AddUsage(Dictionary<string, decimal> usage, Dictionary<string, decimal> change, int sign)
    {
        foreach (var (key, quantity) in change) usage[key] = usage.GetValueOrDefault(key) + sign * quantity;
    }

    /// <summary>The superseded estimates stay, marked, for everything that shows readings; they bill nothing more.</summary>
    async Task MarkSupersededAsync(MeterBilling m, IReadOnlyList<StandingEstimate> estimates, DateTimeOffset by, CancellationToken ct)
    {
        if (estimates.Count == 0) return;
        var reason = FormattableString.Invariant($"Estimated (R30), superseded by the real reading at {by:O}.");
        var fromMs = estimates[0].AtMs;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE readings SET status = 'superseded', reason = @reason
            WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND account_meter_id = @AccountMeterId AND source = 'estimate' AND status = 'billed' AND at_ms >= @fromMs
            """, new { reason, m.MeterId, m.AccountMeterId, fromMs }, tx, cancellationToken: ct));
        for (var i = 0; i < readings.Count; i++)
            if (readings[i] is { Source: ReadingSources.Estimate, Status: "billed" } e && e.MeterId == m.MeterId && e.AtMs >= fromMs)
                readings[i] = e with { Status = "superseded", Reason = reason };
    }
}
