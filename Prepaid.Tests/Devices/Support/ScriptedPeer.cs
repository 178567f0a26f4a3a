using System.Net;
using System.Net.Sockets;

namespace Prepaid.Tests.Devices.Support;

/// <summary>A loopback TCP peer that answers each complete request with scripted chunks, so
/// transport tests can produce split frames, noise, stale replies and dropped connections.</summary>
public sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<byte[], int> _requestLength;
    private readonly Func<int, byte[], PeerAction> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    /// <param name="requestLength">Length of the request at the start of the bytes, 0 if incomplete.</param>
    /// <param name="respond">Given the request number (0-based) and bytes, what to send back.</param>
    public ScriptedPeer(Func<byte[], int> requestLength, Func<int, byte[], PeerAction> respond)
    {
        _requestLength = requestLength;
        _respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[512];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                buffer.AddRange(chunk.AsSpan(0, read));
                int length;
                while (buffer.Count > 0 && (length = _requestLength([.. buffer])) > 0)
                {
                    var request = buffer.GetRange(0, length).ToArray();
                    buffer.RemoveRange(0, length);
                    var action = _respond(Interlocked.Increment(ref _requests) - 1, request);
                    foreach (var part in action.Chunks)
                    {
                        await stream.WriteAsync(part, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        if (action.PauseBetweenChunks > TimeSpan.Zero)
                        {
                            await Task.Delay(action.PauseBetweenChunks, _stop.Token);
                        }
                    }
                    if (action.Disconnect)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Client went away or peer stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

public sealed record PeerAction(byte[][] Chunks, bool Disconnect = false, TimeSpan PauseBetweenChunks = default)
{
    public static PeerAction Send(params byte[][] chunks) => new(chunks);

    public static PeerAction Silence() => new([]);

    public static PeerAction Hangup() => new([], Disconnect: true);

    /// <summary>Sends <paramref name="frame"/> one byte per TCP segment, as a slow DTU would.</summary>
    public static PeerAction Trickle(byte[] frame) =>
        new(frame.Select(b => new[] { b }).ToArray(), PauseBetweenChunks: TimeSpan.FromMilliseconds(1));
}
