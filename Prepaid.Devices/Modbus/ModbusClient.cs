using System.Runtime.CompilerServices;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Modbus;

/// <summary>Modbus master over any <see cref="IFrameTransport"/>. Every call returns a
/// <see cref="DeviceResult{T}"/>: exceptions from the device, timeouts, broken links and
/// nonsense replies are typed outcomes and counted on <see cref="Counters"/>, never thrown.</summary>
public sealed class ModbusClient : IAsyncDisposable
{
    private readonly IFrameTransport _transport;
    private readonly IModbusAdu _adu;

    public ModbusClient(IFrameTransport transport, IModbusAdu adu, TimeSpan? timeout = null)
    {
        _transport = transport;
        _adu = adu;
        // libmodbus defaults to 500 ms; a DTU adds its packing interval and cellular RTT (§1.6).
        Timeout = timeout ?? TimeSpan.FromSeconds(1);
    }

    public TimeSpan Timeout { get; }

    public LinkCounters Counters => _transport.Counters;

    public static ModbusClient OverTcp(string host, int port, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new TcpFrameTransport(host, port, ModbusTcpFormat.Instance) { MaySend = maySend }, new ModbusTcpAdu(), timeout);

    /// <summary>Raw RTU frames inside TCP: a transparent DTU or serial server.</summary>
    public static ModbusClient OverRtuOverTcp(string host, int port, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new TcpFrameTransport(host, port, ModbusRtuFormat.Instance) { MaySend = maySend }, new ModbusRtuAdu(), timeout);

    public static ModbusClient OverSerial(SerialSettings settings, TimeSpan? timeout = null, Func<bool>? maySend = null) =>
        new(new SerialFrameTransport(settings, ModbusRtuFormat.Instance) { MaySend = maySend }, new ModbusRtuAdu(), timeout);

    public Task<DeviceResult<ushort[]>> ReadHoldingRegistersAsync(
        byte unit, ushort address, int quantity, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(unit, ModbusRequest.ReadHoldingRegisters(address, quantity), cancellationToken).AsTask();

    public Task<DeviceResult<ushort[]>> ReadInputRegistersAsync(
        byte unit, ushort address, int quantity, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(unit, ModbusRequest.ReadInputRegisters(address, quantity), cancellationToken).AsTask();

    /// <summary>FC03 or FC04 as the poller reads: one state machine from request to registers, its box pooled
    /// (await the result once).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DeviceResult<ushort[]>> ReadRegistersAsync(
        byte unit, ModbusRequest request, CancellationToken cancellationToken = default)
    {
        var reply = await _transport.ExchangeAsync(_adu.Wrap(unit, ModbusPdu.EncodeRequest(request)), Timeout, cancellationToken).ConfigureAwait(false);
        return Registers(Response(request, reply), request.Quantity);
    }

    public async Task<DeviceResult<bool[]>> ReadCoilsAsync(
        byte unit, ushort address, int quantity, CancellationToken cancellationToken = default) =>
        Bits(await ExecuteAsync(unit, ModbusRequest.ReadCoils(address, quantity), cancellationToken), quantity);

    public async Task<DeviceResult<bool[]>> ReadDiscreteInputsAsync(
        byte unit, ushort address, int quantity, CancellationToken cancellationToken = default) =>
        Bits(await ExecuteAsync(unit, ModbusRequest.ReadDiscreteInputs(address, quantity), cancellationToken), quantity);

    public Task<DeviceResult<bool>> WriteSingleCoilAsync(
        byte unit, ushort address, bool on, CancellationToken cancellationToken = default) =>
        WriteAsync(unit, ModbusRequest.WriteSingleCoil(address, on), cancellationToken);

    public Task<DeviceResult<bool>> WriteSingleRegisterAsync(
        byte unit, ushort address, ushort value, CancellationToken cancellationToken = default) =>
        WriteAsync(unit, ModbusRequest.WriteSingleRegister(address, value), cancellationToken);

    public Task<DeviceResult<bool>> WriteMultipleCoilsAsync(
        byte unit, ushort address, bool[] values, CancellationToken cancellationToken = default) =>
        WriteAsync(unit, ModbusRequest.WriteMultipleCoils(address, values), cancellationToken);

    public Task<DeviceResult<bool>> WriteMultipleRegistersAsync(
        byte unit, ushort address, ushort[] values, CancellationToken cancellationToken = default) =>
        WriteAsync(unit, ModbusRequest.WriteMultipleRegisters(address, values), cancellationToken);

    /// <summary>Sends one request and checks that the reply is the same function, well formed,
    /// and (for writes) echoes what was asked.</summary>
    public async Task<DeviceResult<ModbusResponse>> ExecuteAsync(
        byte unit, ModbusRequest request, CancellationToken cancellationToken = default)
    {
        var frame = _adu.Wrap(unit, ModbusPdu.EncodeRequest(request));
        var reply = await _transport.ExchangeAsync(frame, Timeout, cancellationToken).ConfigureAwait(false);
        return Response(request, reply);
    }

    private DeviceResult<ModbusResponse> Response(ModbusRequest request, TransportReply reply)
    {
        if (reply.Status != TransportStatus.Ok)
        {
            return DeviceResult<ModbusResponse>.From(reply);
        }
        var unwrapped = _adu.TryUnwrap(reply.Frame, out var pdu);
        var decoded = unwrapped ? ModbusPdu.DecodeResponse(pdu.Span) : default;
        if (!unwrapped || decoded.Status != DecodeStatus.Ok || decoded.Frame!.Function != request.Function)
        {
            Counters.InvalidReply();
            return DeviceResult<ModbusResponse>.Invalid(decoded.Reason ?? "reply is not a response to this request");
        }
        var response = decoded.Frame;
        if (response.Exception is { } code)
        {
            Counters.DeviceError();
            return DeviceResult<ModbusResponse>.Refused((byte)code, code.ToString());
        }
        return DeviceResult<ModbusResponse>.Ok(response);
    }

    private async Task<DeviceResult<bool>> WriteAsync(byte unit, ModbusRequest request, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(unit, request, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            return new(result.Status, false, result.ErrorCode, result.Detail);
        }
        var echo = result.Value!;
        var expected = request.Function is ModbusFunction.WriteSingleCoil or ModbusFunction.WriteSingleRegister
            ? request.Value
            : request.Quantity;
        if (echo.Address != request.Address || echo.Value != expected)
        {
            Counters.InvalidReply();
            return DeviceResult<bool>.Invalid("write echo does not match the request");
        }
        return DeviceResult<bool>.Ok(true);
    }

    private DeviceResult<ushort[]> Registers(DeviceResult<ModbusResponse> result, int quantity)
    {
        if (!result.IsOk)
        {
            return new(result.Status, null, result.ErrorCode, result.Detail);
        }
        if (result.Value!.Registers.Length != quantity)
        {
            Counters.InvalidReply();
            return DeviceResult<ushort[]>.Invalid($"asked for {quantity} registers, got {result.Value.Registers.Length}");
        }
        return DeviceResult<ushort[]>.Ok(result.Value.Registers);
    }

    private DeviceResult<bool[]> Bits(DeviceResult<ModbusResponse> result, int quantity)
    {
        if (!result.IsOk)
        {
            return new(result.Status, null, result.ErrorCode, result.Detail);
        }
        if (result.Value!.BitBytes.Length != (quantity + 7) / 8)
        {
            Counters.InvalidReply();
            return DeviceResult<bool[]>.Invalid($"asked for {quantity} bits, got {result.Value.BitBytes.Length} bytes");
        }
        return DeviceResult<bool[]>.Ok(result.Value.Bits(quantity));
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
