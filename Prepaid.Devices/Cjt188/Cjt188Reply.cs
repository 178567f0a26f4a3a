namespace Prepaid.Devices.Cjt188;

public enum Cjt188ReplyStatus
{
    Ok,

    /// <summary>Abnormal reply (D6 set); the ST word, when present, says why.</summary>
    Refused,

    /// <summary>A checked frame that does not answer the request (function, DI or layout).</summary>
    Unexpected,
}

public readonly record struct Cjt188Reply<T>(Cjt188ReplyStatus Status, T? Value, Cjt188Status? MeterStatus, string? Reason)
{
    public static Cjt188Reply<T> Ok(T value) => new(Cjt188ReplyStatus.Ok, value, null, null);

    public static Cjt188Reply<T> Unexpected(string reason) => new(Cjt188ReplyStatus.Unexpected, default, null, reason);

    /// <summary>Error replies are read leniently: <c>SER ST0 ST1</c> (3 bytes) or
    /// <c>DI DI SER ST0 ST1</c> (5 bytes); the notes leave the layout open (§3.5).</summary>
    internal static Cjt188Reply<T> FromError(Cjt188Frame reply, Cjt188Options options)
    {
        var d = reply.Data;
        Cjt188Status? status = d.Length switch
        {
            3 => Cjt188Status.Decode(d[1], d[2], options),
            5 => Cjt188Status.Decode(d[3], d[4], options),
            _ => null,
        };
        return new(Cjt188ReplyStatus.Refused, default, status, null);
    }
}
