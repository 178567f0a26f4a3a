namespace Prepaid.Devices.Transport;

public enum DeviceResultStatus
{
    Ok,

    /// <summary>The device answered with an error (Modbus exception, DL/T 645 / CJ/T 188 error reply);
    /// <see cref="DeviceResult{T}.ErrorCode"/> holds the code.</summary>
    Refused,
    Timeout,
    ConnectFailed,
    ConnectionLost,

    /// <summary>A reply that matched the request but could not be understood.</summary>
    InvalidReply,

    /// <summary>Nothing went on the wire: the link's owner withdrew the request at its turn (<see cref="TransportStatus.NotSent"/>).</summary>
    NotSent,
}

/// <summary>What a protocol client returns: a value, or a typed reason why not. Never an exception
/// for wire or device trouble.</summary>
public readonly record struct DeviceResult<T>(DeviceResultStatus Status, T? Value, byte? ErrorCode, string? Detail)
{
    public bool IsOk => Status == DeviceResultStatus.Ok;

    public static DeviceResult<T> Ok(T value) => new(DeviceResultStatus.Ok, value, null, null);

    public static DeviceResult<T> Refused(byte code, string detail) => new(DeviceResultStatus.Refused, default, code, detail);

    public static DeviceResult<T> Invalid(string detail) => new(DeviceResultStatus.InvalidReply, default, null, detail);

    public static DeviceResult<T> From(TransportReply failed) => failed.Status switch
    {
        TransportStatus.Timeout => new(DeviceResultStatus.Timeout, default, null, failed.Detail),
        TransportStatus.ConnectFailed => new(DeviceResultStatus.ConnectFailed, default, null, failed.Detail),
        TransportStatus.NotSent => new(DeviceResultStatus.NotSent, default, null, failed.Detail),
        _ => new(DeviceResultStatus.ConnectionLost, default, null, failed.Detail),
    };
}
