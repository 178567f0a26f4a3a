using Prepaid.Devices.Metering;

namespace Prepaid.Devices.NbIot;

public enum NbIotPlatform
{
    /// <summary>Huawei IoTDA v5 (protocols-notes §5.1).</summary>
    Iotda,

    /// <summary>China Telecom CTWing / AEP (protocols-notes §5.2).</summary>
    Ctwing,
}

/// <summary>A meter's uplink as a platform pushed it: the device and, when it carried meter data, the snapshot.</summary>
public sealed record NbIotReport(string DeviceId, MeterSnapshot? Snapshot, DateTimeOffset? At);

/// <summary>A platform's news about a cached command.</summary>
/// <param name="Outcome">Our reading of the platform's status: waiting, delivered, failed or expired.</param>
public sealed record NbIotCommandStatus(string PlatformCommandId, string? DeviceId, string PlatformStatus, NbIotCommandOutcome Outcome, string? Detail);

public enum NbIotCommandOutcome
{
    /// <summary>PENDING / SENT: cached, waiting for the meter's next report.</summary>
    Waiting,

    /// <summary>DELIVERED / SUCCESSFUL: the meter took it; its next report confirms the state.</summary>
    Delivered,
    Failed,
    Expired,
}

/// <summary>What the platform answered when a command was created.</summary>
public sealed record NbIotCreated(string PlatformCommandId, string PlatformStatus);

public static class NbIotStatuses
{
    /// <summary>IoTDA statuses (PENDING, EXPIRED, SENT, DELIVERED, SUCCESSFUL, FAILED, TIMEOUT, CANCELED) and CTWing
    /// resultCodes (only DELIVERED observed; the others assumed to follow IoTDA's names, unverified).</summary>
    public static NbIotCommandOutcome Outcome(string status) => status.ToUpperInvariant() switch
    {
        "DELIVERED" or "SUCCESSFUL" or "SUCCESS" => NbIotCommandOutcome.Delivered,
        "FAILED" or "TIMEOUT" or "FAIL" => NbIotCommandOutcome.Failed,
        "EXPIRED" or "CANCELED" or "CANCELLED" => NbIotCommandOutcome.Expired,
        _ => NbIotCommandOutcome.Waiting,
    };
}
