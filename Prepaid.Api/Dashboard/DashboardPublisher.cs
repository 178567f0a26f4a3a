using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Prepaid.Api.Cluster;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Localization;
using Prepaid.Api.Outbox;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// Pushes grid rows and account changes to the hub's site and tenant groups. It follows the ledger rather than
/// individual calls: each cycle reads the postings and readings stored since the last cycle (two index range
/// scans; a billed reading is its own ledger line, so its account's balance moved), reloads those meters' grid rows in one query and sends one message per site. A burst of a thousand
/// postings thus becomes one message per site per cycle. PostingEventBus wakes the loop at once after a commit,
/// and the loop also polls, which catches writers that do not publish (top-ups from another node, imports).
/// </summary>
public sealed class DashboardPublisher : BackgroundService, IDashboardPublisher
{
    // Pacing only, never business time: a FakeTimeProvider in tests must not stop the pushes.
    static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(10);

    readonly Db db;
    readonly DashboardGrid grid;
    readonly IHubContext<DashboardHub, IDashboardClient> hub;
    readonly ILogger<DashboardPublisher> log;
    readonly NodeLeases leases;
    readonly SiteZones zones;
    readonly ConcurrentDictionary<long, byte> dirtyMeters = new();
    readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Channel<Func<IHubClients<IDashboardClient>, Task>> sends = Channel.CreateUnbounded<Func<IHubClients<IDashboardClient>, Task>>();
    long lastPostingId = -1, lastReadingId = -1;

    public DashboardPublisher(PostingEventBus bus, Db db, DashboardGrid grid, IHubContext<DashboardHub, IDashboardClient> hub,
        ILogger<DashboardPublisher> log, NodeLeases leases, SiteZones zones)
    {
        this.zones = zones;
        this.leases = leases;
        this.db = db;
        this.grid = grid;
        this.hub = hub;
        this.log = log;
        bus.Subscribe(OnPosted);
    }

    /// <summary>Low-balance alarms come from the committed state changes; the grid itself follows the ledger.</summary>
    void OnPosted(IReadOnlyList<OutboxRow> rows)
    {
        foreach (var r in rows)
        {
            if (r.Kind != "stateChanged" || r.AccountId is not { } accountId) continue;
            using var payload = JsonDocument.Parse(r.PayloadJson);
            var from = payload.RootElement.GetProperty("from").GetString();
            var to = payload.RootElement.GetProperty("to").GetString() ?? "";
            if (Severity(to) > Severity(from))
                Alarm(new AlarmEvent(to, r.SiteId, accountId, null, $"Balance {payload.RootElement.GetProperty("balance").GetString()}: {to}",
                    ApiFormat.Instant(DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs))));
        }
        wake.Writer.TryWrite(true);
    }

    static int Severity(string? state) => state switch { "alarm1" => 1, "alarm2" => 2, "arrears" => 3, _ => 0 };

    public void MetersChanged(IEnumerable<long> meterIds)
    {
        foreach (var id in meterIds) dirtyMeters[id] = 0;
        wake.Writer.TryWrite(true);
    }

    // Events with text go to each language's group of the site, their text rendered for it, their instant in the site's zone.
    public void BatchProgress(IReadOnlyCollection<long> siteIds, BatchProgress progress) =>
        sends.Writer.TryWrite(async c =>
        {
            foreach (var language in DashboardHub.Languages)
                await c.Groups(siteIds.Select(s => DashboardHub.SiteGroup(s, language)).ToList()).BatchProgress(progress with
                {
                    Outcomes = progress.Outcomes.Select(o => o with { Error = SiteZones.Localize(o.Error, language) }).ToList(),
                });
        });

    public void Alarm(AlarmEvent alarm) =>
        sends.Writer.TryWrite(async c =>
        {
            var at = await zones.InSiteZoneAsync(alarm.SiteId, alarm.At);
            foreach (var language in DashboardHub.Languages)
                await c.Group(DashboardHub.SiteGroup(alarm.SiteId, language)).Alarm(alarm with { Message = SiteZones.Localize(alarm.Message, language)!, At = at });
        });

    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(FollowLedgerAsync(ct), SendQueuedAsync(ct));

    async Task SendQueuedAsync(CancellationToken ct)
    {
        await foreach (var send in sends.Reader.ReadAllAsync(ct))
        {
            try { await send(hub.Clients); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "A dashboard event could not be sent."); }
        }
    }

    async Task FollowLedgerAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PushChangesAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The schema may not exist yet on the first cycles (migrations run after the host is built), or the database is busy.
                log.LogDebug(e, "Dashboard cycle failed; retrying.");
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(PollEvery);
                await wake.Reader.ReadAsync(timeout.Token);
                await Task.Delay(MinGap, ct); // let a burst of commits gather into one push
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
    }

    async Task PushChangesAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (lastPostingId < 0)
        {
            lastPostingId = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM postings");
            lastReadingId = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM readings");
            return;
        }
        var postings = (await connection.QueryAsync<(long Id, long? AccountId)>(
            "SELECT id, account_id FROM postings WHERE id > @lastPostingId", new { lastPostingId })).ToList();
        // A billed reading is its own ledger line (its debit moved the wallet): its account is followed as a posting's is.
        var readings = (await connection.QueryAsync<(long Id, long MeterId, long? AccountId)>("""
            SELECT r.id, r.meter_id, am.account_id FROM readings r LEFT JOIN account_meters am ON am.id = r.account_meter_id AND r.amount_fen <> 0
            WHERE r.id > @lastReadingId
            """, new { lastReadingId })).ToList();
        if (postings.Count > 0) lastPostingId = postings.Max(p => p.Id);
        if (readings.Count > 0) lastReadingId = readings.Max(r => r.Id);

        // With several nodes one follows the tables for all (they all see the same rows); the others keep their cursor
        // moving and push only what happened in their own process (dirtyMeters).
        var follows = leases.Owns(NodeLeases.Dashboard);
        if (!follows) { postings.Clear(); readings.Clear(); }
        var meterIds = readings.Select(r => r.MeterId).ToHashSet();
        foreach (var id in dirtyMeters.Keys) if (dirtyMeters.TryRemove(id, out _)) meterIds.Add(id);
        var accountIds = postings.Select(p => p.AccountId).Concat(readings.Select(r => r.AccountId)).OfType<long>().ToHashSet();
        if (meterIds.Count == 0 && accountIds.Count == 0) return;

        var rows = new Dictionary<long, GridRow>();
        if (meterIds.Count > 0)
            foreach (var r in await grid.LoadAsync(connection, null, meterIdsJson: JsonSerializer.Serialize(meterIds))) rows[r.MeterId] = r;
        if (accountIds.Count > 0)
            foreach (var r in await grid.LoadAsync(connection, null, accountIdsJson: JsonSerializer.Serialize(accountIds))) rows[r.MeterId] = r;

        var sendsNow = new List<Task>();
        foreach (var site in rows.Values.GroupBy(r => r.SiteId))
            sendsNow.Add(hub.Clients.Group(DashboardHub.SiteGroup(site.Key)).MeterChanged(site.ToList()));
        var accounts = rows.Values.Where(r => r.AccountId is not null).DistinctBy(r => r.AccountId)
            .Select(r => new AccountChange(r.AccountId!.Value, r.SiteId, r.TenantId!.Value, r.Balance!, r.AccountState!, r.KeepOn)).ToList();
        foreach (var site in accounts.GroupBy(a => a.SiteId))
            sendsNow.Add(hub.Clients.Group(DashboardHub.SiteGroup(site.Key)).AccountChanged(site.ToList()));
        foreach (var tenant in accounts.GroupBy(a => a.TenantId))
            sendsNow.Add(hub.Clients.Group(DashboardHub.TenantGroup(tenant.Key)).AccountChanged(tenant.ToList()));
        await Task.WhenAll(sendsNow);

    }
}
