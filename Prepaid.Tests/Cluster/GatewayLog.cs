using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Prepaid.Tests.Cluster;

/// <summary>The node processes a test started, by pid: registered at spawn, so a node is known before it can connect anywhere.</summary>
public sealed class NodeProcesses
{
    readonly ConcurrentDictionary<int, string> names = new();

    public void Add(int pid, string name) => names[pid] = name;

    public IReadOnlyList<KeyValuePair<int, string>> All => [.. names];
}

/// <summary>
/// Who spoke to a simulated gateway: each request with the node behind its connection. The node is found once per
/// connection, when the gateway accepts it (the simulator's accept hook): the client socket's inode from /proc/net/tcp6
/// (.NET's sockets are dual-mode, so an IPv4 loopback client is listed there as ::ffff:127.0.0.1; tcp is read too),
/// then the node process holding that inode among its fds. A connection never changes hands, so every request on it is
/// that node's; a later connection from the same client port is looked up afresh.
/// </summary>
public sealed class GatewayLog(NodeProcesses nodes)
{
    /// <summary>One accepted connection: the node behind it, or why none was found.</summary>
    public sealed record Connection(int ClientPort, string? Node, string? Unattributed);

    public sealed record Request(Connection Connection, DateTime At, byte Function)
    {
        public string? Node => Connection.Node;
    }

    readonly List<Request> requests = [];

    public List<Request> Requests { get { lock (requests) return [.. requests]; } }

    /// <summary>The accept hook. Never throws: an exception there would drop the client.</summary>
    public object Accept(Socket socket)
    {
        var client = (socket.RemoteEndPoint as IPEndPoint)?.Port ?? 0;
        var gateway = (socket.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        var why = "not looked up";
        // The client socket is listed and held from before its SYN; a retry only covers an fd table read mid-change.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var (node, reason) = Find(client, gateway);
                if (node is not null) return new Connection(client, node, null);
                why = reason;
            }
            catch (Exception e)
            {
                why = $"{e.GetType().Name}: {e.Message}";
            }
            Thread.Sleep(25);
        }
        return new Connection(client, null, why);
    }

    /// <summary>The request hook. Never throws: the gateway calls it inside its answer.</summary>
    public void Record(EndPoint? remote, object? connection, byte[] mbap)
    {
        var c = connection as Connection ?? new Connection((remote as IPEndPoint)?.Port ?? 0, null, "no accept hook");
        lock (requests) requests.Add(new Request(c, DateTime.UtcNow, mbap.Length > 7 ? mbap[7] : (byte)0));
    }

    /// <summary>Modbus writes: force coil, write register(s).</summary>
    public static bool IsWrite(byte function) => function is 0x05 or 0x06 or 0x0F or 0x10;

    (string? Node, string Reason) Find(int clientPort, int gatewayPort)
    {
        var local = $":{clientPort:X4}";
        var remote = $":{gatewayPort:X4}";
        var inodes = new[] { "/proc/net/tcp6", "/proc/net/tcp" }.SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // A closed socket still listed (TIME_WAIT, inode 0) may share the port pair with the live one.
            .Where(f => f[1].EndsWith(local, StringComparison.Ordinal) && f[2].EndsWith(remote, StringComparison.Ordinal) && f[9] != "0")
            .Select(f => $"socket:[{f[9]}]").ToList();
        if (inodes.Count == 0) return (null, $"no live socket from port {clientPort} to {gatewayPort} in /proc/net");
        foreach (var (pid, name) in nodes.All)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)) return (name, "");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A killed node's /proc is gone (or going): the socket is not its.
            }
        }
        return (null, $"{string.Join(", ", inodes)} held by none of {string.Join(", ", nodes.All.Select(n => $"{n.Value} (pid {n.Key})"))}");
    }
}
