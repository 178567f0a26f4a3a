using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Dlt645;

/// <summary>DL/T 645-2007 master over a byte-stream transport (serial line or TCP converter).</summary>
public sealed class Dlt645Client : IAsyncDisposable
{
    private readonly IFrameTransport _transport;

    public Dlt645Client(IFrameTransport transport, TimeSpan? timeout = null)
    {
        _transport = transport;
        // At 2400 Bd a read is ~200 ms on the wire plus up to ~500 ms meter delay (§2.6, §7.1).
        Timeout = timeout ?? TimeSpan.FromSeconds(2);
    }

    public TimeSpan Timeout { get; }

    public int PreambleLength { get; init; } = 4;

    public LinkCounters Counters => _transport.Counters;

    public static Dlt645Client OverTcp(string host, int port, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new TcpFrameTransport(host, port, Dlt645Format.Instance) { MaySend = maySend }, timeout);

    public static Dlt645Client OverSerial(SerialSettings settings, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new SerialFrameTransport(settings, Dlt645Format.Instance) { MaySend = maySend }, timeout);

    public async Task<DeviceResult<Dlt645ReadValue>> ReadAsync(
        string address, uint dataId, CancellationToken cancellationToken = default)
    {
        var reply = await ExchangeAsync(Dlt645Read.Request(address, dataId), cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return new(reply.Status, null, reply.ErrorCode, reply.Detail);
        }
        var parsed = Dlt645Read.ParseReply(reply.Value!, dataId);
        return parsed.Status switch
        {
            Dlt645ReplyStatus.Ok => DeviceResult<Dlt645ReadValue>.Ok(parsed.Value!),
            Dlt645ReplyStatus.Refused => Refused<Dlt645ReadValue>(parsed.Error),
            _ => Invalid<Dlt645ReadValue>(parsed.Reason!),
        };
    }

    public async Task<DeviceResult<long>> ReadEnergyWhAsync(
        string address, uint dataId, CancellationToken cancellationToken = default)
    {
        var read = await ReadAsync(address, dataId, cancellationToken).ConfigureAwait(false);
        if (!read.IsOk)
        {
            return new(read.Status, 0, read.ErrorCode, read.Detail);
        }
        return Dlt645Values.TryReadEnergyWh(read.Value!.Value, out var energyWh)
            ? DeviceResult<long>.Ok(energyWh)
            : Invalid<long>("energy is not 4 BCD bytes");
    }

    /// <summary>Total then periods 1..4, one read each: the block DI (0001FF00) is not supported by
    /// every meter, while single items are mandatory.</summary>
    public async Task<DeviceResult<MeterEnergies>> ReadEnergiesAsync(
        string address, CancellationToken cancellationToken = default)
    {
        var values = new long[5];
        for (var i = 0; i < values.Length; i++)
        {
            var dataId = i == 0 ? Dlt645DataIds.ForwardActiveTotal : Dlt645DataIds.ForwardActivePeriod(i);
            var read = await ReadEnergyWhAsync(address, dataId, cancellationToken).ConfigureAwait(false);
            if (!read.IsOk)
            {
                return new(read.Status, null, read.ErrorCode, read.Detail);
            }
            values[i] = read.Value;
        }
        return DeviceResult<MeterEnergies>.Ok(new MeterEnergies(values[0], values[1..]));
    }

    public async Task<DeviceResult<Dlt645StatusWord3>> ReadStatusWord3Async(
        string address, CancellationToken cancellationToken = default)
    {
        var read = await ReadAsync(address, Dlt645DataIds.StatusWord3, cancellationToken).ConfigureAwait(false);
        if (!read.IsOk)
        {
            return new(read.Status, default, read.ErrorCode, read.Detail);
        }
        return Dlt645Values.TryReadStatusWord(read.Value!.Value, out var word)
            ? DeviceResult<Dlt645StatusWord3>.Ok(new Dlt645StatusWord3(word))
            : Invalid<Dlt645StatusWord3>("status word is not 2 bytes");
    }

    /// <summary>Sends a 0x1C command. An Ok only means the meter accepted it; confirm the relay with
    /// <see cref="ReadStatusWord3Async"/>, since actuation is not instantaneous (§2.4).</summary>
    /// <param name="validUntilMeterTime">The meter's local wall-clock time after which it must ignore the command.</param>
    public async Task<DeviceResult<bool>> ControlAsync(
        string address, Dlt645RelayAction action, DateTime validUntilMeterTime, Dlt645Credentials credentials,
        CancellationToken cancellationToken = default)
    {
        var request = Dlt645Relay.Request(address, action, validUntilMeterTime, credentials);
        var reply = await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return new(reply.Status, false, reply.ErrorCode, reply.Detail);
        }
        var parsed = Dlt645Relay.ParseReply(reply.Value!);
        return parsed.Status switch
        {
            Dlt645ReplyStatus.Ok => DeviceResult<bool>.Ok(true),
            Dlt645ReplyStatus.Refused => Refused<bool>(parsed.Error),
            _ => Invalid<bool>(parsed.Reason!),
        };
    }

    /// <summary>Writes one parameter (C = 0x14). Ok means accepted; confirm with <see cref="ReadParameterAsync"/>.</summary>
    public async Task<DeviceResult<bool>> WriteAsync(
        string address, Dlt645Parameter parameter, Dlt645Credentials credentials, CancellationToken cancellationToken = default)
    {
        var reply = await ExchangeAsync(Dlt645Write.Request(address, parameter, credentials), cancellationToken).ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return new(reply.Status, false, reply.ErrorCode, reply.Detail);
        }
        var parsed = Dlt645Write.ParseReply(reply.Value!);
        return parsed.Status switch
        {
            Dlt645ReplyStatus.Ok => DeviceResult<bool>.Ok(true),
            Dlt645ReplyStatus.Refused => Refused<bool>(parsed.Error),
            _ => Invalid<bool>(parsed.Reason!),
        };
    }

    public async Task<DeviceResult<Dlt645Parameter>> ReadParameterAsync(string address, uint dataId, CancellationToken cancellationToken = default)
    {
        var read = await ReadAsync(address, dataId, cancellationToken).ConfigureAwait(false);
        if (!read.IsOk)
        {
            return new(read.Status, default, read.ErrorCode, read.Detail);
        }
        return Dlt645Parameter.TryRead(dataId, read.Value!.Value, out var p) ? DeviceResult<Dlt645Parameter>.Ok(p) : Invalid<Dlt645Parameter>("parameter is not 4 BCD bytes");
    }

    private async Task<DeviceResult<Dlt645Frame>> ExchangeAsync(Dlt645Frame request, CancellationToken cancellationToken)
    {
        var reply = await _transport.ExchangeAsync(Dlt645Codec.Encode(request, PreambleLength), Timeout, cancellationToken)
            .ConfigureAwait(false);
        if (reply.Status != TransportStatus.Ok)
        {
            return DeviceResult<Dlt645Frame>.From(reply);
        }
        // The transport only returns frames that decoded and matched.
        return DeviceResult<Dlt645Frame>.Ok(Dlt645Codec.Decode(reply.Frame).Frame!);
    }

    private DeviceResult<T> Refused<T>(Dlt645ErrorFlags error)
    {
        Counters.DeviceError();
        return DeviceResult<T>.Refused((byte)error, error.ToString());
    }

    private DeviceResult<T> Invalid<T>(string reason)
    {
        Counters.InvalidReply();
        return DeviceResult<T>.Invalid(reason);
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
