using Prepaid.Api.Accounts;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// What an ingest run loads before it bills: meters, their open accounts and wallets, sites, tariffs, R13's usage and
/// the ledger balances it moves. After a committed run it is exactly what the database holds for those rows, so the
/// next run may start from it instead of reading it again (<see cref="ReadingIngestor"/> decides when it may).
/// </summary>
public sealed class IngestState
{
    public Dictionary<long, MeterBilling> Meters { get; } = new();
    public Dictionary<long, AccountRuntime> Accounts { get; } = new();
    public Dictionary<long, SiteRuntime> Sites { get; } = new();
    public Dictionary<long, Tariff> Tariffs { get; } = new();
    public Dictionary<long, DateTimeOffset?> TariffStarts { get; } = new();

    /// <summary>Every open meter of each loaded account: switch requests go to all of them.</summary>
    public Dictionary<long, List<long>> AccountMeters { get; } = new();

    /// <summary>R13 counts an account's usage only where it matters: accounts with a meter on a tariff that has a tiered version.</summary>
    public HashSet<long> TieredAccounts { get; } = new();

    public Dictionary<(long AccountId, Utility Utility), Dictionary<string, decimal>> TierUsage { get; } = new();

    /// <summary>The usage periods that have a row (an update), as against those a flush inserts.</summary>
    public HashSet<(long AccountId, Utility Utility, string Key)> TierStored { get; } = new();

    /// <summary>Ledger account balances (credits − debits) by ledger id.</summary>
    public Dictionary<long, long> Balances { get; } = new();
}
