using System.Net.Sockets;

namespace Prepaid.Tests.Devices.Support;

/// <summary>A bare socket for server-side tests: send bytes as they are, then read what the server says and whether it hung up.</summary>
public static class RawTcp
{
    public sealed record Answer(byte[] Bytes, bool ClosedByServer);

    /// <summary>Sends <paramref name="bytes"/> and reads until the server closes or <paramref name="wait"/> passes.
    /// With <paramref name="halfClose"/> our side shuts its sending half afterwards, so a server that finished
    /// answering closes at once and no timeout is spent.</summary>
    public static async Task<Answer> SendAsync(int port, byte[] bytes, TimeSpan wait, bool halfClose = false)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        await socket.SendAsync(bytes, SocketFlags.None);
        if (halfClose) socket.Shutdown(SocketShutdown.Send);
        using var deadline = new CancellationTokenSource(wait);
        var received = new List<byte>();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0) return new Answer([.. received], true);
                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return new Answer([.. received], false);
        }
        catch (SocketException)
        {
            // A reset is the server closing too.
            return new Answer([.. received], true);
        }
    }
}
