using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Modbus;

/// <summary>Meter-level operations on one Modbus meter, by its <see cref="ModbusMeterProfile"/>.</summary>
public sealed class ModbusMeter(ModbusClient client, byte unit, ModbusMeterProfile profile)
{
    public byte Unit => unit;

    public ModbusMeterProfile Profile => profile;

    public async Task<DeviceResult<MeterEnergies>> ReadEnergiesAsync(CancellationToken cancellationToken = default)
    {
        var read = await ReadRegistersAsync(profile.TotalEnergyRegister, profile.EnergyBlockLength, cancellationToken)
            .ConfigureAwait(false);
        return read.IsOk
            ? DeviceResult<MeterEnergies>.Ok(profile.DecodeEnergies(read.Value))
            : new(read.Status, null, read.ErrorCode, read.Detail);
    }

    /// <summary>True when the relay is open (supply cut).</summary>
    public async Task<DeviceResult<bool>> ReadRelayOpenAsync(CancellationToken cancellationToken = default)
    {
        if (profile.RelayStatusRegister is not { } status)
        {
            return DeviceResult<bool>.Invalid("the model does not report its relay over Modbus");
        }
        var read = await ReadRegistersAsync(status, 1, cancellationToken).ConfigureAwait(false);
        return read.IsOk ? DeviceResult<bool>.Ok(read.Value![0] != 0) : new(read.Status, false, read.ErrorCode, read.Detail);
    }

    /// <summary>Opens (trip) or closes the relay. Ok means the meter accepted the write; confirm
    /// with <see cref="ReadRelayOpenAsync"/>.</summary>
    public Task<DeviceResult<bool>> SetRelayOpenAsync(bool open, CancellationToken cancellationToken = default) =>
        profile.RelayTripCoil is { } coil
            ? client.WriteSingleCoilAsync(unit, coil, open, cancellationToken)
            : Task.FromResult(DeviceResult<bool>.Invalid("the model has no relay coil"));

    private Task<DeviceResult<ushort[]>> ReadRegistersAsync(ushort address, int quantity, CancellationToken cancellationToken) =>
        profile.UseInputRegisters
            ? client.ReadInputRegistersAsync(unit, address, quantity, cancellationToken)
            : client.ReadHoldingRegistersAsync(unit, address, quantity, cancellationToken);
}
