namespace Prepaid.Api.Cluster;

/// <summary>
/// <c>Prepaid:Cluster</c>: several nodes on one server database. Off by default (one node, as on SQLite); on, every node
/// heartbeats, leases its share of the buses and NB-IoT lanes, and runs the jobs through Quartz's clustered store.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Prepaid:Cluster";

    public bool Enabled { get; set; }

    /// <summary>This process's name in <c>nodes</c>, the leases and Quartz's check-in; unique per process (default host-pid-random).</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How long a lease lasts without renewal: a dead or paused node's buses are taken over after it.</summary>
    public double LeaseSeconds { get; set; } = 15;

    /// <summary>How often a node renews its leases and looks for free ones; a held lease counts as valid only up to
    /// LeaseSeconds − HeartbeatSeconds after its last renewal began, so a node stops sending before anyone may take over.</summary>
    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>Quartz's cluster check-in; a node silent for twice this has its triggers recovered by another.</summary>
    public double CheckinSeconds { get; set; } = 7.5;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue($"{Section}:Enabled", false);
}
