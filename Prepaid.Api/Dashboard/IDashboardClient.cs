namespace Prepaid.Api.Dashboard;

/// <summary>
/// What the hub at /hubs/dashboard sends. The JavaScript client matches method names ignoring case, so the browser
/// subscribes to meterChanged, accountChanged, ... as api.md names them; .NET clients use the names as written here.
/// Grid and account events come in arrays: bursts are coalesced so a client gets one message per push, not one per meter.
/// </summary>
public interface IDashboardClient
{
    /// <summary>Grid rows whose account, balance, state, relay or last reading changed (full rows: replace by meterId).</summary>
    Task MeterChanged(IReadOnlyList<GridRow> rows);

    /// <summary>Wallets whose balance or state changed; tenants get their own accounts' changes only.</summary>
    Task AccountChanged(IReadOnlyList<AccountChange> changes);

    /// <summary>A device command moved on: requested → sent → confirmed | failed | expired.</summary>
    Task CommandChanged(CommandChange change);

    /// <summary>A batch's counts per state and the outcomes known so far.</summary>
    Task BatchProgress(BatchProgress progress);

    /// <summary>An alarm: low balance (alarm1, alarm2, arrears) from postings, or a device alarm from the device layer.</summary>
    Task Alarm(AlarmEvent alarm);
}

/// <summary>Ids are strings so the device layer may use numbers, GUIDs or ULIDs as it sees fit.</summary>
public sealed record CommandChange(string CommandId, long MeterId, long SiteId, string Kind, string State, string? Error, string At, string? BatchId = null);

/// <summary><c>Counts</c> by command state (requested, sent, confirmed, failed, expired); <c>Outcomes</c> per meter, possibly only the new ones.</summary>
public sealed record BatchProgress(string BatchId, string Kind, int Total, IReadOnlyDictionary<string, int> Counts, bool Done,
    IReadOnlyList<BatchOutcome> Outcomes);

public sealed record BatchOutcome(long MeterId, string State, string? Error);

/// <summary><c>Kind</c>: alarm1, alarm2, arrears (balance), or a device kind such as offline, tamper, leak.</summary>
public sealed record AlarmEvent(string Kind, long SiteId, long? AccountId, long? MeterId, string Message, string At);
