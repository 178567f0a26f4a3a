using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The live hub connections by user and by the token they signed in with, so that revoking a session also ends its
/// connections at once: each is taken out of its groups first (nothing more is sent to it), then aborted. A connection
/// also ends when its token expires, on the platform's clock.
/// </summary>
public sealed class HubConnections(IHubContext<DashboardHub, IDashboardClient> hub, TimeProvider time)
{
    sealed record Live(long UserId, string TokenHash, HubCallerContext Context)
    {
        public ConcurrentDictionary<string, byte> Groups { get; } = new();
        public ITimer? Expiry { get; set; }
    }

    // Timers take at most about 49 days; tokens live hours.
    static readonly TimeSpan LongestWait = TimeSpan.FromDays(40);

    readonly ConcurrentDictionary<string, Live> live = new();

    public void Connected(HubCallerContext context, long userId, string tokenHash, DateTimeOffset expiresAt)
    {
        var l = new Live(userId, tokenHash, context);
        live[context.ConnectionId] = l;
        var wait = expiresAt - time.GetUtcNow();
        l.Expiry = time.CreateTimer(_ => _ = CloseAsync(x => ReferenceEquals(x, l)), null,
            wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait, Timeout.InfiniteTimeSpan);
    }

    public void Disconnected(string connectionId)
    {
        if (live.TryRemove(connectionId, out var l)) l.Expiry?.Dispose();
    }

    public void Joined(string connectionId, string group)
    {
        if (live.TryGetValue(connectionId, out var l)) l.Groups[group] = 0;
    }

    public void Left(string connectionId, string group)
    {
        if (live.TryGetValue(connectionId, out var l)) l.Groups.TryRemove(group, out _);
    }

    /// <summary>This node's connections in a group (the group as this process joined it; other nodes' members are theirs to reach).</summary>
    public List<string> InGroup(string group) => [.. live.Where(l => l.Value.Groups.ContainsKey(group)).Select(l => l.Key)];

    /// <summary>Ends every connection of the user except those of <paramref name="keepTokenHash"/> (the session asking).</summary>
    public Task<int> CloseUserAsync(long userId, string? keepTokenHash = null) =>
        CloseAsync(l => l.UserId == userId && l.TokenHash != keepTokenHash);

    public Task<int> CloseTokensAsync(IReadOnlyCollection<string> tokenHashes) => CloseAsync(l => tokenHashes.Contains(l.TokenHash));

    async Task<int> CloseAsync(Func<Live, bool> which)
    {
        var closed = 0;
        foreach (var (id, l) in live)
        {
            if (!which(l) || !live.TryRemove(id, out _)) continue;
            l.Expiry?.Dispose();
            foreach (var group in l.Groups.Keys) await hub.Groups.RemoveFromGroupAsync(id, group);
            l.Context.Abort();
            closed++;
        }
        return closed;
    }
}
