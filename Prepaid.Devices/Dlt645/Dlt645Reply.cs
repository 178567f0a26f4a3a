namespace Prepaid.Devices.Dlt645;

public enum Dlt645ReplyStatus
{
    Ok,

    /// <summary>The meter answered with an abnormal reply; see <see cref="Dlt645Reply{T}.Error"/>.</summary>
    Refused,

    /// <summary>A well-framed reply that does not answer the question (wrong function, DI or length).</summary>
    Unexpected,
}

/// <summary>What a checked frame says in answer to one request.</summary>
public readonly record struct Dlt645Reply<T>(Dlt645ReplyStatus Status, T? Value, Dlt645ErrorFlags Error, string? Reason)
{
    public static Dlt645Reply<T> Ok(T value) => new(Dlt645ReplyStatus.Ok, value, Dlt645ErrorFlags.None, null);

    public static Dlt645Reply<T> Refused(Dlt645ErrorFlags error) => new(Dlt645ReplyStatus.Refused, default, error, null);

    public static Dlt645Reply<T> Unexpected(string reason) =>
        new(Dlt645ReplyStatus.Unexpected, default, Dlt645ErrorFlags.None, reason);
}
