using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The live hub connections by user and by the token they signed in with, so that revoking a session also ends its
/// connections at once: each is taken out of its groups first (nothing more is sent to it), then aborted.
/// </summary>
public sealed class HubConnections(IHubContext<DashboardHub, IDashboardClient> hub)
{
    sealed record Live(long UserId, string TokenHash, HubCallerContext Context)
    {
        public ConcurrentDictionary<string, byte> Groups { get; } = new();
    }

    readonly ConcurrentDictionary<string, Live> live = new();

    public void Connected(HubCallerContext context, long userId, string tokenHash) =>
        live[context.ConnectionId] = new Live(userId, tokenHash, context);

    public void Disconnected(string connectionId) => live.TryRemove(connectionId, out _);

    public void Joined(string connectionId, string group)
    {
        if (live.TryGetValue(connectionId, out var l)) l.Groups[group] = 0;
    }

    public void Left(string connectionId, string group)
    {
        if (live.TryGetValue(connectionId, out var l)) l.Groups.TryRemove(group, out _);
    }

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
            foreach (var group in l.Groups.Keys) await hub.Groups.RemoveFromGroupAsync(id, group);
            l.Context.Abort();
            closed++;
        }
        return closed;
    }
}
