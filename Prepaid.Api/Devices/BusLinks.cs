using System.Collections.Concurrent;
using Prepaid.Api.Cluster;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>
/// One open link per bus, shared by the poller and the dispatcher: the link's transport lets one request out at a
/// time, which is the RS-485 rule, so a poll and a switch on the same bus take turns instead of colliding.
/// A bus whose endpoint changed (new port, new host) gets a fresh link. In a cluster each frame goes out only while
/// this node holds the bus's lease, checked at its turn on the wire: a frame queued before a pause is not sent after it.
/// </summary>
public sealed class BusLinks(NodeLeases? leases = null) : IAsyncDisposable
{
    readonly ConcurrentDictionary<long, BusLink> links = new();

    public BusLink For(long busId, GatewayEndpoint endpoint)
    {
        while (true)
        {
            var link = links.GetOrAdd(busId, _ => Open(busId, endpoint));
            if (link.Endpoint == endpoint) return link;
            if (links.TryUpdate(busId, Open(busId, endpoint), link)) _ = link.DisposeAsync().AsTask();
        }
    }

    BusLink Open(long busId, GatewayEndpoint endpoint)
    {
        if (leases is not { Enabled: true } held) return new BusLink(endpoint);
        var resource = NodeLeases.Bus(busId);
        return new BusLink(endpoint, () => held.Owns(resource));
    }

    /// <summary>The link's event counters (requests, timeouts, bad frames …) since it opened, or null before its first use.</summary>
    public Prepaid.Devices.Transport.LinkCounters? Counters(long busId) => links.TryGetValue(busId, out var link) ? link.Counters : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var link in links.Values) await link.DisposeAsync();
        links.Clear();
    }
}
