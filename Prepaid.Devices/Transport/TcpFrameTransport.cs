using System.Net.Sockets;

namespace Prepaid.Devices.Transport;

/// <summary>A TCP link to a Modbus TCP gateway, a transparent DTU or a DL/T 645 / CJ/T 188
/// converter. Connects on first use and again after the connection breaks.</summary>
public sealed class TcpFrameTransport(string host, int port, IFrameFormat format) : StreamFrameTransport(format)
{
    private Socket? _socket;

    protected override async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        return new NetworkStream(socket, ownsSocket: true);
    }

    protected override int DiscardPendingInput()
    {
        if (_socket is not { } socket)
        {
            return 0;
        }
        var discarded = 0;
        Span<byte> sink = stackalloc byte[256];
        while (socket.Available > 0)
        {
            var read = socket.Receive(sink);
            if (read == 0)
            {
                break;
            }
            discarded += read;
        }
        return discarded;
    }

    protected override void CloseLink()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
