namespace Prepaid.Devices.Transport;

/// <summary>The one seam between protocol clients and wires: send a request frame, get back the
/// frame that answers it. Async only; everything protocol-level sits above it.</summary>
/// <remarks>
/// Implementations never throw for wire trouble (timeouts, refused or broken connections,
/// corrupt frames): those come back as a <see cref="TransportStatus"/> and are counted in
/// <see cref="Counters"/>, so a poller loop survives a bad bus. Cancelling
/// <c>cancellationToken</c> is the caller's own decision and surfaces as
/// <see cref="OperationCanceledException"/>, as everywhere in .NET.
/// </remarks>
public interface IFrameTransport : IAsyncDisposable
{
    LinkCounters Counters { get; }

    ValueTask<TransportReply> ExchangeAsync(ReadOnlyMemory<byte> request, TimeSpan timeout, CancellationToken cancellationToken);
}

public enum TransportStatus
{
    Ok,

    /// <summary>No matching reply within the timeout: meter offline, wrong address or a lost frame.</summary>
    Timeout,

    /// <summary>Could not open the connection or port.</summary>
    ConnectFailed,

    /// <summary>The connection broke during the exchange; the next exchange reconnects.</summary>
    ConnectionLost,

    /// <summary>Never sent: when its turn on the wire came, the link's owner no longer allowed it (another node holds the bus).</summary>
    NotSent,
}

public readonly record struct TransportReply(TransportStatus Status, byte[] Frame, string? Detail)
{
    public static TransportReply Ok(byte[] frame) => new(TransportStatus.Ok, frame, null);

    public static TransportReply Failed(TransportStatus status, string detail) => new(status, [], detail);
}
