namespace Prepaid.Api.Dashboard;

/// <summary>
/// How other features (the device layer's dispatcher and batches, payments) tell the dashboard about a change.
/// Postings need no call: the publisher follows PostingEventBus and the ledger by itself. Every method returns at
/// once and routes to the hub groups of the sites concerned, so callers never wait on slow browsers.
///
/// Command state changes need no call either: they are rows of <c>command_events</c>, written in the transaction of the
/// change (Devices/CommandEvents), which every node's <see cref="CommandEventFollower"/> sends to its own clients.
///
/// For the device layer:
/// - after a batch's counts change: <c>BatchProgress(siteIds, progress)</c> (the sites of the batch's meters);
/// - after a relay or valve is confirmed, or a meter goes online/offline: <c>MetersChanged([meterId])</c>, which
///   reloads and pushes the grid rows;
/// - device alarms (tamper, leak, offline): <c>Alarm(new AlarmEvent(...))</c>.
/// </summary>
public interface IDashboardPublisher
{
    void MetersChanged(IEnumerable<long> meterIds);
    void BatchProgress(IReadOnlyCollection<long> siteIds, BatchProgress progress);
    void Alarm(AlarmEvent alarm);
}
