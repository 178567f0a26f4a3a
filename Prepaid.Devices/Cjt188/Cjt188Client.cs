using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Cjt188;

/// <summary>CJ/T 188-2004 master (water meters) over a byte-stream transport.</summary>
public sealed class Cjt188Client : IAsyncDisposable
{
    private readonly IFrameTransport _transport;
    private int _serial;

    public Cjt188Client(IFrameTransport transport, Cjt188Options? options = null, TimeSpan? timeout = null)
    {
        _transport = transport;
        Options = options ?? Cjt188Options.Default;
        // A 901F read is ~250 ms on the wire at 2400 Bd plus meter delay (§7.1); M-Bus meters can be slow.
        Timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    public Cjt188Options Options { get; }

    public TimeSpan Timeout { get; }

    public LinkCounters Counters => _transport.Counters;

    public static Cjt188Client OverTcp(string host, int port, Cjt188Options? options = null, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new TcpFrameTransport(host, port, Cjt188Format.Instance) { MaySend = maySend }, options, timeout);

    public static Cjt188Client OverSerial(SerialSettings settings, Cjt188Options? options = null, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new SerialFrameTransport(settings, Cjt188Format.Instance) { MaySend = maySend }, options, timeout);

    /// <param name="dialect">The meter's own dialect (its profile's); the client's <see cref="Options"/> when null.
    /// Meters of several vendors can share one M-Bus line.</param>
    public async Task<DeviceResult<Cjt188Reading>> ReadAsync(
        byte meterType, string address, CancellationToken cancellationToken = default, Cjt188Options? dialect = null)
    {
        var options = dialect ?? Options;
        var request = Cjt188Read.Request(meterType, address, NextSerial(), options);
        var reply = await ExchangeAsync(request, options, cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return new(reply.Status, null, reply.ErrorCode, reply.Detail);
        }
        return Interpret(Cjt188Read.ParseReply(reply.Value!, options));
    }

    /// <summary>Opens or closes the valve; the value is the ST the meter reported in its reply.</summary>
    public async Task<DeviceResult<Cjt188Status>> SetValveAsync(
        byte meterType, string address, Cjt188ValveCommand command, CancellationToken cancellationToken = default, Cjt188Options? dialect = null)
    {
        var options = dialect ?? Options;
        var request = Cjt188Valve.Request(meterType, address, NextSerial(), command, options);
        var reply = await ExchangeAsync(request, options, cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return new(reply.Status, default, reply.ErrorCode, reply.Detail);
        }
        return Interpret(Cjt188Valve.ParseReply(reply.Value!, options));
    }

    private DeviceResult<T> Interpret<T>(Cjt188Reply<T> parsed)
    {
        switch (parsed.Status)
        {
            case Cjt188ReplyStatus.Ok:
                return DeviceResult<T>.Ok(parsed.Value!);
            case Cjt188ReplyStatus.Refused:
                Counters.DeviceError();
                return DeviceResult<T>.Refused(parsed.MeterStatus?.St0 ?? 0, $"meter refused: {parsed.MeterStatus}");
            default:
                Counters.InvalidReply();
                return DeviceResult<T>.Invalid(parsed.Reason!);
        }
    }

    private byte NextSerial() => (byte)Interlocked.Increment(ref _serial);

    private async Task<DeviceResult<Cjt188Frame>> ExchangeAsync(Cjt188Frame request, Cjt188Options options, CancellationToken cancellationToken)
    {
        var bytes = Cjt188Codec.Encode(request, options.PreambleLength);
        var reply = await _transport.ExchangeAsync(bytes, Timeout, cancellationToken).ConfigureAwait(false);
        if (reply.Status != TransportStatus.Ok)
        {
            return DeviceResult<Cjt188Frame>.From(reply);
        }
        return DeviceResult<Cjt188Frame>.Ok(Cjt188Codec.Decode(reply.Frame).Frame!);
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
