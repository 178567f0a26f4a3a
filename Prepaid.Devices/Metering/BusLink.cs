using System.Runtime.CompilerServices;
using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Metering;

/// <summary>
/// One bus as the poller and the dispatcher see it: read a meter, act on a meter, whatever its protocol.
/// The transport underneath allows one outstanding request, which is exactly the RS-485 rule; callers may
/// share a link between the poller and the dispatcher and their requests simply take turns.
/// </summary>
public sealed class BusLink : IAsyncDisposable
{
    private readonly GatewayEndpoint _endpoint;
    private readonly ModbusClient? _modbus;
    private readonly Dlt645Client? _dlt645;
    private readonly Cjt188Client? _cjt188;

    /// <param name="maySend">Asked right before each frame goes on the wire (see <see cref="StreamFrameTransport.MaySend"/>):
    /// a node that no longer holds the bus sends nothing, even what was queued before it lost it.</param>
    public BusLink(GatewayEndpoint endpoint, Func<bool>? maySend = null)
    {
        _endpoint = endpoint;
        var host = endpoint.Host ?? "127.0.0.1";
        switch (endpoint.Protocol)
        {
            case GatewayProtocol.ModbusTcp:
                _modbus = ModbusClient.OverTcp(host, endpoint.Port, endpoint.Timeout, maySend);
                break;
            case GatewayProtocol.ModbusRtuOverTcp:
                _modbus = ModbusClient.OverRtuOverTcp(host, endpoint.Port, endpoint.Timeout, maySend);
                break;
            case GatewayProtocol.ModbusRtu:
                _modbus = ModbusClient.OverSerial(new SerialSettings(endpoint.SerialPort ?? "/dev/ttyUSB0", endpoint.BaudRate), endpoint.Timeout, maySend);
                break;
            case GatewayProtocol.Dlt645Tcp:
                _dlt645 = Dlt645Client.OverTcp(host, endpoint.Port, endpoint.Timeout, maySend);
                break;
            case GatewayProtocol.Cjt188Tcp:
                _cjt188 = Cjt188Client.OverTcp(host, endpoint.Port, timeout: endpoint.Timeout, maySend: maySend);
                break;
        }
    }

    public GatewayEndpoint Endpoint => _endpoint;

    public LinkCounters Counters => _modbus?.Counters ?? _dlt645?.Counters ?? _cjt188!.Counters;

    /// <summary>One poll of a meter (await it once).</summary>
    public ValueTask<DeviceResult<MeterSnapshot>> ReadAsync(MeterTarget meter, CancellationToken ct = default) => meter.Profile.Protocol switch
    {
        MeterProtocol.Modbus when _modbus is not null => ReadModbusAsync(meter, ct),
        MeterProtocol.Dlt645 when _dlt645 is not null => new(ReadDlt645Async(meter, ct)),
        MeterProtocol.Cjt188 when _cjt188 is not null => new(ReadCjt188Async(meter, ct)),
        _ => new(DeviceResult<MeterSnapshot>.Invalid($"profile {meter.Profile.Name} cannot be read through a {_endpoint.Protocol} gateway")),
    };

    /// <summary>Sends one action. Ok means the meter accepted it; only a read-back confirms it took effect.</summary>
    /// <param name="validUntil">After this instant the meter must ignore the command (DL/T 645 N3..N8).</param>
    public Task<DeviceResult<bool>> ActAsync(MeterTarget meter, MeterAction action, DateTimeOffset validUntil, CancellationToken ct = default)
    {
        if (meter.Profile.Protocol == MeterProtocol.Modbus && _modbus is not null && action is MeterAction.Trip or MeterAction.Close)
        {
            var unit = ModbusUnit(meter.Address);
            var open = action == MeterAction.Trip;
            if (meter.Profile.ModbusControlRegister is { } control)
                return _modbus.WriteMultipleRegistersAsync(unit, control, [1, open ? (ushort)1 : (ushort)0], ct);
            if (meter.Profile.Modbus!.RelayTripCoil is { } coil)
                return _modbus.WriteSingleCoilAsync(unit, coil, open, ct);
        }
        if (meter.Profile.Protocol == MeterProtocol.Dlt645 && _dlt645 is not null && Dlt645Action(action) is { } n1)
        {
            var meterTime = validUntil.ToOffset(_endpoint.MeterUtcOffset).DateTime;
            return _dlt645.ControlAsync(meter.Address, n1, meterTime, Dlt645Credentials.Default, ct);
        }
        if (meter.Profile.Protocol == MeterProtocol.Cjt188 && _cjt188 is not null && action is MeterAction.ValveOpen or MeterAction.ValveClose)
        {
            return ValveAsync(meter, action == MeterAction.ValveClose, ct);
        }
        return Task.FromResult(DeviceResult<bool>.Invalid($"profile {meter.Profile.Name} cannot {action}"));
    }

    /// <summary>Writes one value for the meter's local prepaid logic and reads it back; Ok(true) only when the meter then holds
    /// the written value. DL/T 645 writes with 0x14 and reads with 0x11; Modbus writes the register pair with FC 0x10 and
    /// reads it with FC 0x03.</summary>
    public async Task<DeviceResult<bool>> PushParameterAsync(MeterTarget meter, MeterParameterValue value, CancellationToken ct = default)
    {
        if (!meter.Profile.Takes(value.Parameter))
            return DeviceResult<bool>.Invalid($"profile {meter.Profile.Name} cannot take {value.Parameter.Name()}");
        if (meter.Profile.Protocol == MeterProtocol.Dlt645 && _dlt645 is not null && Dlt645Parameters.DataId(value.Parameter) is { } dataId)
        {
            var parameter = new Dlt645Parameter(dataId, value.Scaled);
            var written = await _dlt645.WriteAsync(meter.Address, parameter, Dlt645Credentials.Default, ct).ConfigureAwait(false);
            if (!written.IsOk) return written;
            var back = await _dlt645.ReadParameterAsync(meter.Address, dataId, ct).ConfigureAwait(false);
            if (!back.IsOk) return new(back.Status, false, back.ErrorCode, back.Detail);
            return Confirmed(value, back.Value.Scaled);
        }
        if (meter.Profile.Protocol == MeterProtocol.Modbus && _modbus is not null
            && meter.Profile.Modbus!.SettingRegisters.TryGetValue(value.Parameter, out var register))
        {
            var map = meter.Profile.Modbus;
            var unit = ModbusUnit(meter.Address);
            var written = await _modbus.WriteMultipleRegistersAsync(unit, register, map.SettingWords(value.Scaled), ct).ConfigureAwait(false);
            if (!written.IsOk) return written;
            var back = await _modbus.ReadHoldingRegistersAsync(unit, register, 2, ct).ConfigureAwait(false);
            if (!back.IsOk) return new(back.Status, false, back.ErrorCode, back.Detail);
            return Confirmed(value, map.SettingValue(back.Value));
        }
        return DeviceResult<bool>.Invalid($"profile {meter.Profile.Name} cannot take {value.Parameter.Name()} through a {_endpoint.Protocol} gateway");
    }

    private static DeviceResult<bool> Confirmed(MeterParameterValue value, long readBack) => readBack == value.Scaled
        ? DeviceResult<bool>.Ok(true)
        : DeviceResult<bool>.Invalid($"{value.Parameter.Name()} reads back {readBack}, not {value.Scaled}");

    private async Task<DeviceResult<bool>> ValveAsync(MeterTarget meter, bool close, CancellationToken ct)
    {
        var result = await _cjt188!.SetValveAsync(meter.Profile.Cjt188MeterType, meter.Address,
            close ? Cjt188ValveCommand.Close : Cjt188ValveCommand.Open, ct, meter.Profile.Cjt188Dialect).ConfigureAwait(false);
        return result.IsOk ? DeviceResult<bool>.Ok(true) : new(result.Status, false, result.ErrorCode, result.Detail);
    }

    private static Dlt645RelayAction? Dlt645Action(MeterAction action) => action switch
    {
        MeterAction.Trip => Dlt645RelayAction.Trip,
        // Direct close: a prepaid top-up restores supply without the tenant pressing a button.
        MeterAction.Close => Dlt645RelayAction.DirectClose,
        MeterAction.KeepPowerOn => Dlt645RelayAction.KeepPowerOn,
        MeterAction.KeepPowerOff => Dlt645RelayAction.KeepPowerOff,
        _ => null,
    };

    // The poller's read of every Modbus meter: its state machine box pooled, as the client's and the transport's below it.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<DeviceResult<MeterSnapshot>> ReadModbusAsync(MeterTarget meter, CancellationToken ct)
    {
        var map = meter.Profile.Modbus!;
        var unit = ModbusUnit(meter.Address);
        if (map.RelayStatusRegister is not { } status)
        {
            var only = await ReadRegistersAsync(map, unit, map.TotalEnergyRegister, map.EnergyBlockLength, ct).ConfigureAwait(false);
            if (!only.IsOk) return new(only.Status, null, only.ErrorCode, only.Detail);
            var e = map.DecodeEnergies(only.Value!);
            return DeviceResult<MeterSnapshot>.Ok(new MeterSnapshot(e.TotalWh, e.PeriodsWh, null));
        }
        int first = Math.Min(map.TotalEnergyRegister, status);
        int end = Math.Max(map.TotalEnergyRegister + map.EnergyBlockLength, status + 1);
        if (end - first <= ModbusLimits.MaxReadRegisters)
        {
            // One request for energy and relay together: on a 9600 Bd bus every request costs a turnaround.
            var read = await ReadRegistersAsync(map, unit, (ushort)first, end - first, ct).ConfigureAwait(false);
            if (!read.IsOk) return new(read.Status, null, read.ErrorCode, read.Detail);
            var block = read.Value!;
            var energies = map.DecodeEnergies(block.AsSpan(map.TotalEnergyRegister - first));
            return DeviceResult<MeterSnapshot>.Ok(Snapshot(energies, RelayOpen(meter.Profile, block.AsSpan(status - first))));
        }
        var energy = await ReadRegistersAsync(map, unit, map.TotalEnergyRegister, map.EnergyBlockLength, ct).ConfigureAwait(false);
        if (!energy.IsOk) return new(energy.Status, null, energy.ErrorCode, energy.Detail);
        var relay = await ReadRegistersAsync(map, unit, status, 1, ct).ConfigureAwait(false);
        if (!relay.IsOk) return new(relay.Status, null, relay.ErrorCode, relay.Detail);
        return DeviceResult<MeterSnapshot>.Ok(Snapshot(map.DecodeEnergies(energy.Value!), RelayOpen(meter.Profile, relay.Value!)));
    }

    // The EMS plugin's control register pair reads back as written (0001 0001 = cut); the generic status register is 0/1.
    private static bool RelayOpen(MeterProfile profile, ReadOnlySpan<ushort> status) => status[0] != 0;

    private ValueTask<DeviceResult<ushort[]>> ReadRegistersAsync(ModbusMeterProfile map, byte unit, ushort address, int quantity, CancellationToken ct) =>
        _modbus!.ReadRegistersAsync(unit, map.UseInputRegisters
            ? ModbusRequest.ReadInputRegisters(address, quantity)
            : ModbusRequest.ReadHoldingRegisters(address, quantity), ct);

    private async Task<DeviceResult<MeterSnapshot>> ReadDlt645Async(MeterTarget meter, CancellationToken ct)
    {
        MeterEnergies energies;
        if (meter.Profile.Dlt645EnergyBlock)
        {
            var block = await _dlt645!.ReadAsync(meter.Address, Dlt645DataIds.ForwardActiveBlock, ct).ConfigureAwait(false);
            if (!block.IsOk) return new(block.Status, null, block.ErrorCode, block.Detail);
            if (!Dlt645Values.TryReadEnergyBlockWh(block.Value!.Value, out var values) || values.Length < 5)
                return DeviceResult<MeterSnapshot>.Invalid("energy block is not 5 × 4 BCD bytes");
            energies = new MeterEnergies(values[0], values[1..5]);
        }
        else
        {
            var read = await _dlt645!.ReadEnergiesAsync(meter.Address, ct).ConfigureAwait(false);
            if (!read.IsOk) return new(read.Status, null, read.ErrorCode, read.Detail);
            energies = read.Value!;
        }
        var status = await _dlt645.ReadStatusWord3Async(meter.Address, ct).ConfigureAwait(false);
        if (!status.IsOk) return new(status.Status, null, status.ErrorCode, status.Detail);
        return DeviceResult<MeterSnapshot>.Ok(Snapshot(energies, status.Value.RelayOpen) with { KeepPower = status.Value.KeepPower });
    }

    private async Task<DeviceResult<MeterSnapshot>> ReadCjt188Async(MeterTarget meter, CancellationToken ct)
    {
        var read = await _cjt188!.ReadAsync(meter.Profile.Cjt188MeterType, meter.Address, ct, meter.Profile.Cjt188Dialect).ConfigureAwait(false);
        if (!read.IsOk) return new(read.Status, null, read.ErrorCode, read.Detail);
        if (read.Value!.CurrentFlowMillilitres is not { } ml) return DeviceResult<MeterSnapshot>.Invalid("flow unit is not a volume");
        bool? closed = read.Value.Status.Valve switch
        {
            Cjt188ValveState.Open => false,
            Cjt188ValveState.Closed => true,
            _ => null,
        };
        // m³ in thousandths = litres.
        return DeviceResult<MeterSnapshot>.Ok(new MeterSnapshot(ml / 1000, null, closed));
    }

    private static MeterSnapshot Snapshot(MeterEnergies e, bool relayOpen) => new(e.TotalWh, e.PeriodsWh, relayOpen);

    public static byte ModbusUnit(string address) =>
        byte.TryParse(address, out var unit) && unit is >= 1 and <= 247 ? unit : throw new ArgumentException($"Modbus unit '{address}' is not 1..247.");

    public async ValueTask DisposeAsync()
    {
        if (_modbus is not null) await _modbus.DisposeAsync().ConfigureAwait(false);
        if (_dlt645 is not null) await _dlt645.DisposeAsync().ConfigureAwait(false);
        if (_cjt188 is not null) await _cjt188.DisposeAsync().ConfigureAwait(false);
    }
}
