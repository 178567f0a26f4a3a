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

// Step 3, price: a billable delta's exact cost and the debit due (R10–R14, R4), changing nothing.
public sealed partial class IngestRun
{
    /// <summary>
    /// R10–R14 and R4 for one billable delta, changing nothing: its exact cost, and the debit due, round(cumulative) −
    /// debited. Null, with the reason, when it has no price: it starts before the tariff's first version (R12a), spans
    /// longer than any meter goes unread, or its values are beyond exact arithmetic or the calendar (R9b).
    /// </summary>
    PricedReading? Price(MeterBilling m, DateTimeOffset at, decimal quantity, IReadOnlyDictionary<Period, decimal>? periods, out string? reason)
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(m.LastAtMs);
        if (!TariffStart.Prices(tariffStarts[m.TariffId!.Value], from))
        {
            reason = FormattableString.Invariant($"No tariff version is effective at {from:O}: consumption before a tariff's first version has no price (R12a).");
            return null;
        }
        if (!ReadingSpan.IsPlausible(from, at))
        {
            reason = FormattableString.Invariant($"The reading is {(at - from).TotalDays:0} days after the last billed one at {from:O}, more than any meter goes unread (R9b).");
            return null;
        }
        var accountId = m.AccountId!.Value;
        var usage = tieredAccounts.Contains(accountId) ? TierUsageOf(accountId, m.Spec.Utility) : null;
        try
        {
            var delta = Pricing.Price(new PricingRequest(tariffs[m.TariffId.Value], sites[m.SiteId].Zone, from, at, quantity, periods,
                usage is null ? TierUsage.Empty : new TierUsage(usage)));
            var (charge, debit) = m.Charge.Add(delta.Cost);
            reason = null;
            return new PricedReading(delta, charge, debit, (long)decimal.Round(quantity * 1000m, 0, MidpointRounding.AwayFromZero));
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentOutOfRangeException)
        {
            reason = $"The reading cannot be priced: {e.Message} (R9b).";
            return null;
        }
    }
}
