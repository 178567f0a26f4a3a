namespace Prepaid.Devices.Transport;

/// <summary>Event counters of one link (connection or serial port), shared by the transport and the
/// protocol client above it. Counted rather than logged so the poller can export them as metrics
/// and a test can assert on them.</summary>
public sealed class LinkCounters
{
    private long _requests, _replies, _timeouts, _connects, _connectFailures, _connectionsLost;
    private long _invalidFrames, _discardedBytes, _unmatchedFrames, _deviceErrors, _invalidReplies;

    public long Requests => Interlocked.Read(ref _requests);
    public long Replies => Interlocked.Read(ref _replies);
    public long Timeouts => Interlocked.Read(ref _timeouts);
    public long Connects => Interlocked.Read(ref _connects);
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);
    public long ConnectionsLost => Interlocked.Read(ref _connectionsLost);

    /// <summary>Scans that hit a bad CRC/checksum or bytes that cannot start a frame.</summary>
    public long InvalidFrames => Interlocked.Read(ref _invalidFrames);
    public long DiscardedBytes => Interlocked.Read(ref _discardedBytes);

    /// <summary>Well-formed frames that did not answer the outstanding request (stale TID, echo).</summary>
    public long UnmatchedFrames => Interlocked.Read(ref _unmatchedFrames);

    /// <summary>Replies in which the device refused (Modbus exception, DL/T 645 or CJ/T 188 error reply).</summary>
    public long DeviceErrors => Interlocked.Read(ref _deviceErrors);

    /// <summary>Frames that matched the request but whose content made no sense.</summary>
    public long InvalidReplies => Interlocked.Read(ref _invalidReplies);

    internal void Request() => Interlocked.Increment(ref _requests);
    internal void Reply() => Interlocked.Increment(ref _replies);
    internal void Timeout() => Interlocked.Increment(ref _timeouts);
    internal void Connect() => Interlocked.Increment(ref _connects);
    internal void ConnectFailure() => Interlocked.Increment(ref _connectFailures);
    internal void ConnectionLost() => Interlocked.Increment(ref _connectionsLost);
    internal void InvalidFrame() => Interlocked.Increment(ref _invalidFrames);
    internal void Discarded(int bytes) => Interlocked.Add(ref _discardedBytes, bytes);
    internal void UnmatchedFrame() => Interlocked.Increment(ref _unmatchedFrames);

    public void DeviceError() => Interlocked.Increment(ref _deviceErrors);
    public void InvalidReply() => Interlocked.Increment(ref _invalidReplies);
}
