using System.Net;
using System.Net.Sockets;
using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>A TCP server on 127.0.0.1 (a free port) that reads request frames and writes replies:
/// the common body of the simulated gateways. One request at a time across all connections,
/// because behind every gateway is one RS-485 bus.</summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;
    private int _requestCount;

    public int Port => ((IPEndPoint)(_listener ?? throw new InvalidOperationException("Not started.")).LocalEndpoint).Port;

    /// <summary>Port to listen on; 0 (default) takes a free one. Set it to bring a "rebooted" gateway back where it was.</summary>
    public int ListenPort { get; init; }

    public WireTiming? Timing { get; init; }

    /// <summary>Called once per accepted connection, before its first request is read; what it returns is handed to
    /// <see cref="OnRequest"/> with each of that connection's requests. Tests find the client process here, while the
    /// client's socket is certainly alive, and so tell one connection from a later one on the same port.</summary>
    public Func<Socket, object?>? OnAccept { get; init; }

    /// <summary>Called with the client's address and its connection's <see cref="OnAccept"/> tag for every request,
    /// before it is answered: tests record who spoke to the gateway, and when (one owner at a time when several nodes
    /// share the buses).</summary>
    public Action<EndPoint?, object?, byte[]>? OnRequest { get; init; }

    /// <summary>Requests seen, answered or not (for tests of silence and routing).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts listening; returns this so construction reads as one expression.</summary>
    public LoopbackServer Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, ListenPort);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
        return this;
    }

    /// <summary>Finds one request frame at the start of the buffer (a codec's Decode).</summary>
    protected abstract DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed);

    /// <summary>The reply bytes, or null for silence (no such meter, broadcast, bad request).</summary>
    protected abstract byte[]? Respond(byte[] request);

    /// <summary>The bytes a frame of <paramref name="frameBytes"/> costs on the simulated bus (what <see cref="Timing"/> charges):
    /// the frame itself where it goes onto the line as it came.</summary>
    public virtual int BusBytes(int frameBytes) => frameBytes;

    /// <summary>True where the framing has no sync marker (MBAP): an invalid frame ends the connection, as libmodbus
    /// does, because a rescan would take bytes inside a payload for a request and answer a transaction never sent.</summary>
    protected virtual bool CloseOnInvalidFrame => false;

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener!.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                lock (_connections)
                {
                    _connections.Add(Task.Run(() => ServeAsync(socket)));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Listener stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        var tag = OnAccept?.Invoke(socket);
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new byte[4096];
        var count = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(count), _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                count += read;
                while (count > 0)
                {
                    var status = Scan(buffer.AsSpan(0, count), out var consumed);
                    if (status == DecodeStatus.NeedMore)
                    {
                        // A full buffer that still needs more is noise; a real UART would overrun too.
                        count = count == buffer.Length ? 0 : count;
                        break;
                    }
                    if (status == DecodeStatus.Invalid && CloseOnInvalidFrame)
                    {
                        return;
                    }
                    var frame = buffer.AsSpan(0, consumed).ToArray();
                    count -= consumed;
                    Buffer.BlockCopy(buffer, consumed, buffer, 0, count);
                    if (status == DecodeStatus.Ok)
                    {
                        await AnswerAsync(stream, frame, remote, tag).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Client went away or server stopped: a gateway just drops the connection.
        }
    }

    private async Task AnswerAsync(NetworkStream stream, byte[] request, EndPoint? remote, object? tag)
    {
        await _bus.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _requestCount);
            OnRequest?.Invoke(remote, tag, request);
            var reply = Respond(request);
            if (reply is null)
            {
                return;
            }
            if (Timing is { } timing)
            {
                await Task.Delay(timing.DelayFor(BusBytes(request.Length), BusBytes(reply.Length)), _stop.Token).ConfigureAwait(false);
            }
            await stream.WriteAsync(reply, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _bus.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
        _bus.Dispose();
        GC.SuppressFinalize(this);
    }
}
