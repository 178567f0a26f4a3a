using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Prepaid.Fakes.Notifications;

/// <summary>
/// A small SMTP server on loopback (RFC 5321's plain dialogue: EHLO, MAIL, RCPT, DATA with dot-stuffing, QUIT) that
/// keeps every message it receives, parsed by MimeKit: tests read what the real SMTP client delivered, and `--demo`
/// sends its e-mail here (the last <see cref="Keep"/> messages are kept).
/// </summary>
public sealed class LoopbackSmtpServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Task loop;
    readonly List<(string From, string[] To, MimeMessage Message)> received = [];

    public int Port { get; }

    /// <summary>How many messages are kept, oldest dropped first.</summary>
    public int Keep { get; init; } = 10_000;

    public LoopbackSmtpServer()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = AcceptAsync();
    }

    public IReadOnlyList<(string From, string[] To, MimeMessage Message)> Received
    {
        get { lock (received) return received.ToList(); }
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        // Latin-1 maps each byte to one char and back, so 8-bit (UTF-8) bodies arrive intact.
        var reader = new StreamReader(stream, Encoding.Latin1);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost test SMTP");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO": await writer.WriteLineAsync("250-localhost"); await writer.WriteLineAsync("250 8BITMIME"); break;
                case "HELO": await writer.WriteLineAsync("250 localhost"); break;
                case "MAIL": from = Address(line); await writer.WriteLineAsync("250 OK"); break;
                case "RCPT": to.Add(Address(line)); await writer.WriteLineAsync("250 OK"); break;
                case "DATA":
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } d && d != ".") data.Append(d.StartsWith("..") ? d[1..] : d).Append("\r\n");
                    var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString())));
                    lock (received)
                    {
                        received.Add((from ?? "", to.ToArray(), message));
                        if (received.Count > Keep) received.RemoveAt(0);
                    }
                    to.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET": to.Clear(); await writer.WriteLineAsync("250 OK"); break;
                case "NOOP": await writer.WriteLineAsync("250 OK"); break;
                case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                default: await writer.WriteLineAsync("502 not implemented"); break;
            }
        }
    }

    static string Address(string line) => line[(line.IndexOf('<') + 1)..line.IndexOf('>')];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try { await loop; } catch (OperationCanceledException) { }
    }
}
