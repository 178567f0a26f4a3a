using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Transport;

/// <summary>The exchange loop shared by TCP and serial links: one request at a time, replies
/// reassembled from whatever chunks the stream delivers, garbage and unmatched frames dropped.</summary>
/// <remarks>
/// One request at a time is a property of the bus, not a simplification: an RS-485 line (directly
/// or behind a transparent DTU) carries one conversation, and RTU has no transaction id to pair
/// overlapping replies. Modbus TCP could pipeline, but a gateway serialises onto its bus anyway.
/// </remarks>
public abstract class StreamFrameTransport : IFrameTransport
{
    // Larger than any frame we accept (Modbus TCP 260, DL/T 645 271, CJ/T 188 268) so a full
    // buffer that still "needs more" can only be noise.
    private const int BufferSize = 4096;

    private readonly IFrameFormat _format;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _count;
    private Stream? _stream;
    private long _lastActivity;
    private CancellationTokenSource _deadline = new();

    protected StreamFrameTransport(IFrameFormat format, TimeProvider? time = null)
    {
        _format = format;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Asked at each request's turn, right before its first byte goes out; false answers <see cref="TransportStatus.NotSent"/>.
    /// A request may wait its turn behind others (or in a process that was stopped), so a right to use the line checked
    /// when it was queued may have lapsed by the time it would be sent.
    /// </summary>
    public Func<bool>? MaySend { get; init; }

    /// <summary>How long opening the link may take; separate from the per-request reply timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Silence the line needs between our last byte in or out and the next request
    /// (Modbus RTU's t3.5); zero where the link frames for us (TCP).</summary>
    protected virtual TimeSpan IdleBeforeRequest => TimeSpan.Zero;

    public LinkCounters Counters { get; } = new();

    protected abstract Task<Stream> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Drops input the OS already holds (a late reply to a timed-out request) and says
    /// how many bytes that was.</summary>
    protected abstract int DiscardPendingInput();

    protected abstract void CloseLink();

    // One state machine per exchange, its box pooled: a sweep makes thousands of exchanges and the box would be the
    // largest allocation of each.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TransportReply> ExchangeAsync(
        ReadOnlyMemory<byte> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_stream is null && await ConnectAsync(cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
            // The reply timeout starts once the link is up: opening a cellular DTU's TCP session can
            // take far longer than a meter takes to answer, and must not eat the meter's budget.
            // One deadline source per link, re-armed for each request (its timer is reused): a sweep makes
            // thousands of requests, and a linked source with a timer of its own each cost more than the exchange.
            if (!_deadline.TryReset())
            {
                _deadline.Dispose();
                _deadline = new CancellationTokenSource();
            }
            _deadline.CancelAfter(timeout);
            using var caller = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _deadline)
                : default;
            var deadline = _deadline.Token;
            var stream = _stream!;
            try
            {
                if (_format.DiscardInputBeforeRequest)
                {
                    var stale = DiscardPendingInput() + _count;
                    if (stale > 0)
                    {
                        Counters.Discarded(stale);
                        _count = 0;
                    }
                }
                var idle = _time.GetElapsedTime(_lastActivity);
                if (idle < IdleBeforeRequest)
                {
                    await Task.Delay(IdleBeforeRequest - idle, _time, deadline).ConfigureAwait(false);
                }
                if (MaySend is { } maySend && !maySend())
                {
                    return TransportReply.Failed(TransportStatus.NotSent, "not sent: the link's owner no longer holds it");
                }
                Counters.Request();
                await stream.WriteAsync(request, deadline).ConfigureAwait(false);
                _lastActivity = _time.GetTimestamp();
                while (true)
                {
                    var taken = TryTakeReply(request.Span, out var reply);
                    if (taken == Take.Found)
                    {
                        Counters.Reply();
                        return TransportReply.Ok(reply);
                    }
                    if (taken == Take.SyncLost)
                    {
                        // Reconnecting is the only way back to a frame boundary; the caller's retry gets a clean stream.
                        Counters.ConnectionLost();
                        Close();
                        return TransportReply.Failed(TransportStatus.ConnectionLost, "invalid frame header; connection dropped to resynchronise");
                    }
                    var read = await stream.ReadAsync(_buffer.AsMemory(_count), deadline).ConfigureAwait(false);
                    if (read == 0)
                    {
                        Counters.ConnectionLost();
                        Close();
                        return TransportReply.Failed(TransportStatus.ConnectionLost, "peer closed the connection");
                    }
                    _count += read;
                    _lastActivity = _time.GetTimestamp();
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Counters.Timeout();
                return TransportReply.Failed(TransportStatus.Timeout, "no reply within the timeout");
            }
            catch (Exception e) when (IsLinkFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                Counters.ConnectionLost();
                Close();
                return TransportReply.Failed(TransportStatus.ConnectionLost, e.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens the link within <see cref="ConnectTimeout"/>; null on success.</summary>
    private async Task<TransportReply?> ConnectAsync(CancellationToken caller)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(caller);
        deadline.CancelAfter(ConnectTimeout);
        try
        {
            _stream = await OpenAsync(deadline.Token).ConfigureAwait(false);
            Counters.Connect();
            return null;
        }
        catch (Exception e) when (IsLinkFailure(e) && !caller.IsCancellationRequested)
        {
            Counters.ConnectFailure();
            Close();
            return TransportReply.Failed(TransportStatus.ConnectFailed, e.Message);
        }
    }

    private enum Take
    {
        Found,
        NeedMore,
        SyncLost,
    }

    /// <summary>Scans the buffer: drops noise byte by byte, discards frames that answer something
    /// else, and returns the first frame that answers <paramref name="request"/>. For framings without a
    /// sync marker an invalid header is not noise to skip but lost sync (<see cref="IFrameFormat.InvalidFrameLosesSync"/>).</summary>
    private Take TryTakeReply(ReadOnlySpan<byte> request, out byte[] reply)
    {
        reply = [];
        while (_count > 0)
        {
            var status = _format.Scan(_buffer.AsSpan(0, _count), out var consumed);
            if (status == DecodeStatus.NeedMore)
            {
                if (!_format.InvalidFrameLosesSync && TryFindLaterReply(request, out reply))
                {
                    return Take.Found;
                }
                if (_count == _buffer.Length)
                {
                    Counters.InvalidFrame();
                    Drop(_count);
                }
                break;
            }
            if (status == DecodeStatus.Invalid)
            {
                Counters.InvalidFrame();
                if (_format.InvalidFrameLosesSync)
                {
                    Drop(_count);
                    return Take.SyncLost;
                }
                Drop(consumed);
                continue;
            }
            var frame = _buffer.AsSpan(0, consumed).ToArray();
            Shift(consumed);
            if (_format.IsReplyTo(request, frame))
            {
                reply = frame;
                return Take.Found;
            }
            Counters.UnmatchedFrame();
        }
        return Take.NeedMore;
    }

    /// <summary>Noise can look like the start of a long frame (e.g. <c>01 03 FA</c> promises 255
    /// bytes) and would make us wait past a complete reply already in the buffer. So while the head
    /// "needs more", look for a checked frame that answers the request further on; the checksum
    /// (and the request match) makes a false find vanishingly rare.</summary>
    private bool TryFindLaterReply(ReadOnlySpan<byte> request, out byte[] reply)
    {
        for (var start = 1; start < _count; start++)
        {
            var rest = _buffer.AsSpan(start, _count - start);
            if (_format.Scan(rest, out var length) != DecodeStatus.Ok || !_format.IsReplyTo(request, rest[..length]))
            {
                continue;
            }
            reply = rest[..length].ToArray();
            Counters.InvalidFrame();
            Drop(start);
            Shift(length);
            return true;
        }
        reply = [];
        return false;
    }

    private void Drop(int bytes)
    {
        Counters.Discarded(bytes);
        Shift(bytes);
    }

    private void Shift(int bytes)
    {
        _count -= bytes;
        Buffer.BlockCopy(_buffer, bytes, _buffer, 0, _count);
    }

    private void Close()
    {
        _count = 0;
        var stream = _stream;
        _stream = null;
        try
        {
            stream?.Dispose();
            CloseLink();
        }
        catch (Exception e) when (IsLinkFailure(e))
        {
            // Closing a link that already failed may fail again; the link is gone either way.
        }
    }

    private static bool IsLinkFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or UnauthorizedAccessException
            or InvalidOperationException or OperationCanceledException;

    public virtual ValueTask DisposeAsync()
    {
        Close();
        _gate.Dispose();
        _deadline.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
