using System.Threading.Channels;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Microsoft.AspNetCore.SignalR;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// Sends <c>command_events</c> (one row per command state change, committed with the change) to this node's own
/// dashboard connections, straight to each connection rather than through the Redis backplane. Every node runs one, so a
/// client hears each change once from the node it is connected to, whichever node committed it, including one killed
/// right after its commit; a client whose node dies reconnects to another and reloads what it shows. A "lease holder
/// publishes and stores a high-water mark" design would duplicate on a death between the two steps, or lose in the other
/// order; a per-node cursor has no such step. The cursor tolerates ids that commit out of order (<see cref="EventCursor"/>).
/// Commits on this node wake it at once (they publish on <see cref="DeviceEventBus"/>); it also polls, for the other nodes'.
/// </summary>
public sealed class CommandEventFollower : BackgroundService
{
    // Pacing only, never business time, as the ledger follower's.
    static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    /// <summary>Longer than any write transaction takes between taking its id and committing.</summary>
    public static readonly TimeSpan HoleWait = TimeSpan.FromSeconds(10);

    /// <summary>Rows older than this (on the platform's clock) are deleted: every node has read them long before.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);

    readonly Db db;
    readonly HubConnections connections;
    readonly IHubContext<DashboardHub, IDashboardClient> hub;
    readonly SiteZones zones;
    readonly TimeProvider time;
    readonly ILogger<CommandEventFollower> log;
    readonly EventCursor cursor = new(HoleWait);
    readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    long lastPruneTicks = Environment.TickCount64;

    public CommandEventFollower(Db db, HubConnections connections, IHubContext<DashboardHub, IDashboardClient> hub, SiteZones zones,
        DeviceEventBus bus, TimeProvider time, ILogger<CommandEventFollower> log)
    {
        this.db = db;
        this.connections = connections;
        this.hub = hub;
        this.zones = zones;
        this.time = time;
        this.log = log;
        bus.CommandChanged += _ => wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(ct);
                if (Environment.TickCount64 - lastPruneTicks >= PruneEvery.TotalMilliseconds)
                {
                    lastPruneTicks = Environment.TickCount64;
                    await PruneAsync(ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The schema may not exist yet on the first cycles (migrations run after the host is built), or the database is busy.
                log.LogDebug(e, "Command event cycle failed; retrying.");
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(PollEvery);
                await wake.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
    }

    /// <summary>One cycle: the rows not sent yet, each to the local connections watching its site, in id order.</summary>
    async Task FollowAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!cursor.Started)
        {
            cursor.Start(await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM command_events"));
            return;
        }
        foreach (var r in await NextAsync(connection, cursor, Environment.TickCount64)) await SendAsync(r);
    }

    /// <summary>The rows above the cursor's mark not taken before, in id order; moves the cursor.</summary>
    public static async Task<List<CommandEventRow>> NextAsync(System.Data.Common.DbConnection connection, EventCursor cursor, long nowTicks)
    {
        var rows = (await connection.QueryAsync<CommandEventRow>(
            "SELECT id, site_id, meter_id, command_id, kind, state, error, batch_id, at_ms FROM command_events WHERE id > @Mark ORDER BY id",
            new { cursor.Mark })).ToList();
        if (rows.Count == 0) return rows;
        var fresh = cursor.Take(rows.Select(r => r.Id), nowTicks).ToHashSet();
        return [.. rows.Where(r => fresh.Contains(r.Id))];
    }

    // Text per language group of the site, the instant in the site's zone, as for alarms.
    async Task SendAsync(CommandEventRow r)
    {
        var change = new CommandChange(r.CommandId.ToString(), r.MeterId, r.SiteId, r.Kind, r.State, r.Error,
            await zones.InSiteZoneAsync(r.SiteId, ApiFormat.Instant(DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs))), r.BatchId?.ToString());
        foreach (var language in DashboardHub.Languages)
        {
            var ids = connections.InGroup(DashboardHub.SiteGroup(r.SiteId, language));
            if (ids.Count == 0) continue;
            var worded = change with { Error = SiteZones.Localize(r.Error, language) };
            // A local connection is written to directly, also under the Redis backplane (RedisHubLifetimeManager.SendConnectionAsync).
            await Task.WhenAll(ids.Select(async id =>
            {
                try { await hub.Clients.Client(id).CommandChanged(worded); }
                catch (Exception e) { log.LogWarning(e, "A command event could not be sent to connection {Connection}.", id); }
            }));
        }
    }

    async Task PruneAsync(CancellationToken ct)
    {
        var cutoff = (time.GetUtcNow() - Kept).ToUnixTimeMilliseconds();
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            // Any node may run it: deleting what is already gone deletes nothing.
            await connection.ExecuteAsync("DELETE FROM command_events WHERE at_ms < @cutoff", new { cutoff }, tx);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
    }
}

/// <summary>A row of <c>command_events</c>.</summary>
public sealed record CommandEventRow(long Id, long SiteId, long MeterId, long CommandId, string Kind, string State, string? Error, long? BatchId, long AtMs);
