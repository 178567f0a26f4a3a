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

/// <summary>
/// One ingest transaction: loads the state of every meter, account, site and tariff the batch touches,
/// applies R6–R16 reading by reading in memory, and writes everything back in a few statements.
/// A reading that cannot be priced is held (R9b), never thrown: one bad reading does not cost the batch.
/// Nothing here commits: the caller owns the transaction, so a crash leaves no trace and a replay bills nothing twice.
/// Given the <see cref="IngestState"/> a committed run left, it loads only the meters that state lacks.
/// </summary>
public sealed partial class IngestRun(DbConnection connection, DbTransaction tx, SqlDialect dialect, DateTimeOffset now, IngestState state)
{
    public IngestRun(DbConnection connection, DbTransaction tx, SqlDialect dialect, DateTimeOffset now) : this(connection, tx, dialect, now, new IngestState()) { }

    readonly long receivedAtMs = now.ToUnixTimeMilliseconds();
    readonly LedgerWriter ledger = new(connection, tx, dialect, state.Balances);
    readonly OutboxWriter outbox = new();
    readonly List<ReadingRow> readings = new();
    readonly Dictionary<(long MeterId, long AtMs), Registers> storedThisRun = new();
    readonly HashSet<(long AccountId, Utility Utility, string Key)> tierDirty = new();
    // What this run changed, so that writing it back visits those rows only, not every meter and account the kept state holds.
    readonly List<MeterBilling> metersTouched = new();
    readonly HashSet<AccountRuntime> accountsChanged = new(ReferenceEqualityComparer.Instance);
    Dictionary<(long AccountId, Utility Utility), Dictionary<string, decimal>> tierUsage => state.TierUsage;
    HashSet<(long AccountId, Utility Utility, string Key)> tierStored => state.TierStored;
    Dictionary<long, MeterBilling> meters => state.Meters;
    Dictionary<long, AccountRuntime> accounts => state.Accounts;
    Dictionary<long, SiteRuntime> sites => state.Sites;
    Dictionary<long, Tariff> tariffs => state.Tariffs;
    Dictionary<long, DateTimeOffset?> tariffStarts => state.TariffStarts;
    Dictionary<long, List<long>> accountMeters => state.AccountMeters;
    HashSet<long> tieredAccounts => state.TieredAccounts;

    public IReadOnlyList<OutboxRow> Events => outbox.Rows;
    public IEnumerable<AccountRuntime> Accounts => accounts.Values;

    sealed record ReadingRow(long MeterId, long AtMs, Registers Registers, string Status, string? Reason, long? AmountFen, long? AccountMeterId,
        long? QuantityMilli = null, string Source = ReadingSources.Meter, long? EnteredBy = null, long? PowerW = null);

    /// <summary>Overload alarms raised or cleared by the powers this run saw, for the caller to publish after its commit.</summary>
    public IReadOnlyList<Devices.DeviceAlarmChange> AlarmChanges => alarmChanges;
    readonly List<Devices.DeviceAlarmChange> alarmChanges = new();
    readonly Dictionary<long, (long AtMs, long PowerW, long LimitW)> powers = new();

    /// <summary>A delta priced but not yet applied: what it costs, the meter's charge after it, the debit due (R4).</summary>
    sealed record PricedReading(PricedDelta Delta, MeterCharge Charge, Money Debit, long QuantityMilli);

    /// <summary>Marks the meter's state for <see cref="FlushAsync"/> to save.</summary>
    void Touch(MeterBilling m)
    {
        if (m.Dirty) return;
        m.Dirty = true;
        metersTouched.Add(m);
    }

    public bool Knows(long meterId) => meters.ContainsKey(meterId);

    public bool IsHeld(long meterId) => meters[meterId].HeldReadingId is not null;
}
