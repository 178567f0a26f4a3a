namespace Prepaid.Devices.Codec;

public enum DecodeStatus
{
    /// <summary>The buffer holds a prefix of a possible frame; read more bytes and call again.</summary>
    NeedMore,

    /// <summary>The bytes at the start cannot begin a valid frame; drop <c>Consumed</c> bytes and rescan.</summary>
    Invalid,

    /// <summary>A complete, checked frame occupies the first <c>Consumed</c> bytes.</summary>
    Ok,
}

/// <summary>Outcome of a decoder run over a byte buffer. Decoders never throw: every malformed
/// input becomes <see cref="DecodeStatus.Invalid"/> with a reason, so a reader on a noisy bus
/// can resynchronise by dropping <see cref="Consumed"/> bytes.</summary>
public readonly record struct DecodeResult<T>(DecodeStatus Status, T? Frame, int Consumed, string? Reason)
    where T : class
{
    public bool IsOk => Status == DecodeStatus.Ok;

    public static DecodeResult<T> NeedMore() => new(DecodeStatus.NeedMore, null, 0, null);

    public static DecodeResult<T> Invalid(string reason, int consumed = 1) =>
        new(DecodeStatus.Invalid, null, Math.Max(1, consumed), reason);

    public static DecodeResult<T> Ok(T frame, int consumed) => new(DecodeStatus.Ok, frame, consumed, null);
}
