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

// Step 4, post: the debit to the wallet, the tier usage, the account's state and switch requests (R13–R16), in memory.
public sealed partial class IngestRun
{
    /// <summary>
    /// R13–R16 for a priced delta: count the tier usage, debit the wallet (under the reading's own key, reading:&lt;meter&gt;:&lt;timestamp&gt;,
    /// the reading row being the line, unless another key is given and a posting is written), derive state and switches.
    /// A negative debit (R30's correction) credits the wallet.
    /// </summary>
    Money Bill(MeterBilling m, DateTimeOffset at, Registers registers, PricedReading priced, string? transferKey = null, string kind = TransferKeys.Consumption)
    {
        var account = accounts[m.AccountId!.Value];
        var site = sites[m.SiteId];
        var usage = tieredAccounts.Contains(account.Id) ? TierUsageOf(account.Id, m.Spec.Utility) : null;
        if (usage is not null)
            foreach (var (key, used) in priced.Delta.UsageAfter.UsedByPeriod)
                if (!usage.TryGetValue(key, out var before) || before != used)
                {
                    usage[key] = used;
                    tierDirty.Add((account.Id, m.Spec.Utility, key));
                }

        var debit = priced.Debit;
        m.Charge = priced.Charge;
        m.LastAtMs = at.ToUnixTimeMilliseconds();
        m.Last = registers; // R6: the next delta is taken from this reading
        if (debit.Fen != 0)
        {
            var before = new Money(ledger.Balance(account.WalletLedgerId));
            var revenue = site.LedgerIds[SiteLedger.Revenue(m.Spec.Utility)];
            var (from, to) = debit.Fen > 0 ? (account.WalletLedgerId, revenue) : (revenue, account.WalletLedgerId);
            // The reading row the caller stores carries the debit (amount_fen) and is the ledger line; a keyed debit is a posting.
            if (transferKey is null) ledger.Move(from, to, Math.Abs(debit.Fen));
            else ledger.Post(transferKey, 0, kind, at.ToUnixTimeMilliseconds(), account.Id, m.MeterId, from, to, Math.Abs(debit.Fen));
            var after = new Money(ledger.Balance(account.WalletLedgerId));
            account.AfterPosting(site, before, after, now, accountMeters.GetValueOrDefault(account.Id) ?? [m.MeterId], outbox);
            if (account.Dirty) accountsChanged.Add(account);
        }
        return debit;
    }

    Dictionary<string, decimal> TierUsageOf(long accountId, Utility utility)
    {
        if (tierUsage.TryGetValue((accountId, utility), out var usage)) return usage;
        return tierUsage[(accountId, utility)] = new Dictionary<string, decimal>();
    }
}
