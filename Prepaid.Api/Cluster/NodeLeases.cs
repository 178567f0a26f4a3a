using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Cluster;

/// <summary>A lease as this node took it: the resource and the epoch it was granted under.</summary>
public sealed record LeaseClaim(string Resource, long Epoch);

/// <summary>
/// Which buses, NB-IoT lanes and singleton duties this node owns. Each heartbeat the node stamps its <c>nodes</c> row,
/// renews its own leases, gives back what exceeds its fair share while other nodes are alive, and takes free or lapsed
/// leases up to that share by a conditional update that bumps the epoch. Off (SQLite, or cluster mode off) it owns
/// everything and claims carry no epoch, so the single node behaves as it always did.
/// </summary>
public sealed class NodeLeases(Db db, ClusterOptions options, TimeProvider time, ILogger<NodeLeases> log) : BackgroundService
{
    /// <summary>The dashboard's ledger follower: one node pushes grid changes read from the tables, or every node would.</summary>
    public const string Dashboard = "dashboard";

    public static string Bus(long busId) => $"bus:{busId}";
    public static string Lane(long gatewayId) => $"nbiot:{gatewayId}";

    sealed record Held(IReadOnlyDictionary<string, long> Epochs, long ValidUntil);

    Held held = new(new Dictionary<string, long>(), 0);

    public bool Enabled => options.Enabled;
    public TimeSpan LeaseLength => options.Lease;
    public string NodeId => options.NodeId;

    /// <summary>The claim this node holds on a resource now, or null when it does not hold it (or its lease may have lapsed).</summary>
    public LeaseClaim? Claim(string resource)
    {
        if (!Enabled) return new LeaseClaim(resource, 0);
        var h = held;
        return time.GetTimestamp() < h.ValidUntil && h.Epochs.TryGetValue(resource, out var epoch) ? new LeaseClaim(resource, epoch) : null;
    }

    public bool Owns(string resource) => Claim(resource) is not null;

    /// <summary>Whether the claim is still this node's: checked right before anything goes on the wire.</summary>
    public bool Holds(LeaseClaim? claim) => !Enabled || (claim is not null && Claim(claim.Resource)?.Epoch == claim.Epoch);

    /// <summary>The resources held now (buses and lanes), for the dispatcher's claim query.</summary>
    public (List<long> Buses, List<long> Lanes) Owned()
    {
        var h = held;
        if (time.GetTimestamp() >= h.ValidUntil) return ([], []);
        return ([.. h.Epochs.Keys.Where(k => k.StartsWith("bus:")).Select(k => long.Parse(k[4..]))],
                [.. h.Epochs.Keys.Where(k => k.StartsWith("nbiot:")).Select(k => long.Parse(k[6..]))]);
    }

    /// <summary>
    /// The SQL a command state write appends when it carries a claim: it applies only while the lease still has the
    /// epoch the command was claimed under, is this node's and has not lapsed.
    /// </summary>
    public const string StillHeld =
        " AND EXISTS (SELECT 1 FROM leases WHERE resource = @LeaseResource AND epoch = @LeaseEpoch AND owner = @LeaseOwner AND expires_at_ms >= @nowMs)";

    /// <summary>One heartbeat: stamp, renew, give back the excess, take up to the fair share.</summary>
    public async Task TickAsync(CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseMs = (long)options.Lease.TotalMilliseconds;
        var expires = nowMs + leaseMs;
        var node = options.NodeId;
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteAsync("UPDATE nodes SET last_seen_ms = @nowMs WHERE id = @node", new { nowMs, node }) == 0)
            await connection.ExecuteAsync("INSERT INTO nodes (id, started_at_ms, last_seen_ms) VALUES (@node, @nowMs, @nowMs)", new { node, nowMs });
        await connection.ExecuteAsync("UPDATE leases SET expires_at_ms = @expires WHERE owner = @node", new { expires, node });

        var resources = (await connection.QueryAsync<long>("SELECT id FROM buses")).Select(Bus)
            .Concat((await connection.QueryAsync<long>("SELECT id FROM gateways WHERE protocol IN ('iotda', 'ctwing')")).Select(Lane))
            .Append(Dashboard).ToHashSet();
        var rows = (await connection.QueryAsync<(string Resource, string? Owner, long Epoch, long ExpiresAtMs)>(
            "SELECT resource, owner, epoch, expires_at_ms FROM leases")).ToList();
        foreach (var missing in resources.Except(rows.Select(r => r.Resource)))
        {
            try
            {
                await connection.ExecuteAsync("INSERT INTO leases (resource, owner, epoch, expires_at_ms) VALUES (@missing, NULL, 0, 0)", new { missing });
                rows.Add((missing, null, 0, 0));
            }
            catch (System.Data.Common.DbException e) when (db.Dialect.IsUniqueViolation(e))
            {
                // Another node inserted it first; it shows as taken or free on the next heartbeat.
            }
        }
        var alive = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes WHERE last_seen_ms >= @since", new { since = nowMs - leaseMs });
        // The fair share counts buses and lanes; the dashboard duty goes to whichever node finds it free.
        var share = (int)Math.Ceiling((resources.Count - 1) / (double)Math.Max(1, alive));
        var mine = rows.Where(r => r.Owner == node && resources.Contains(r.Resource)).ToDictionary(r => r.Resource, r => r.Epoch);
        int Shared() => mine.Keys.Count(k => k != Dashboard);

        foreach (var excess in mine.Keys.Where(k => k != Dashboard).Order(StringComparer.Ordinal).Skip(share).ToList())
        {
            await connection.ExecuteAsync("UPDATE leases SET owner = NULL, expires_at_ms = 0 WHERE resource = @excess AND owner = @node", new { excess, node });
            mine.Remove(excess);
        }
        // Free or lapsed leases in random order, so nodes starting together do not all race for the same rows.
        foreach (var free in rows.Where(r => resources.Contains(r.Resource) && (r.Owner is null || r.ExpiresAtMs < nowMs) && r.Owner != node)
                     .OrderBy(_ => Random.Shared.Next()))
        {
            if (free.Resource != Dashboard && Shared() >= share) continue;
            var taken = await connection.ExecuteAsync("""
                UPDATE leases SET owner = @node, epoch = epoch + 1, expires_at_ms = @expires
                WHERE resource = @Resource AND epoch = @Epoch AND (owner IS NULL OR expires_at_ms < @nowMs)
                """, new { node, expires, free.Resource, free.Epoch, nowMs });
            if (taken == 1)
            {
                mine[free.Resource] = free.Epoch + 1;
                log.LogInformation("Node {Node} took {Resource} (epoch {Epoch}).", node, free.Resource, free.Epoch + 1);
            }
        }
        // Valid from when this heartbeat began, one heartbeat short of the lease: a node that stalls stops sending
        // before any other node may take the lease over.
        held = new Held(mine, started + (long)((options.Lease - options.Heartbeat).TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>Lets every lease go at once, so the other nodes take over on their next heartbeat rather than after the lease.</summary>
    public async Task ReleaseAllAsync(CancellationToken ct = default)
    {
        held = new Held(new Dictionary<string, long>(), 0);
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE leases SET owner = NULL, expires_at_ms = 0 WHERE owner = @NodeId", new { options.NodeId });
        await connection.ExecuteAsync("DELETE FROM nodes WHERE id = @NodeId", new { options.NodeId });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Lease heartbeat failed; the next one retries.");
            }
            try { await Task.Delay(options.Heartbeat, time, stoppingToken); }
            catch (OperationCanceledException) { }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!Enabled) return;
        try { await ReleaseAllAsync(cancellationToken); }
        catch (Exception e) { log.LogWarning(e, "Could not give the leases back; they lapse after {Seconds} s.", options.LeaseSeconds); }
    }
}
