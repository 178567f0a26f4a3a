using Prepaid.Devices.Metering;
using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Simulator;

/// <summary>Answers Modbus requests for one simulated meter from its <see cref="ModbusMeterProfile"/>.
/// Only the mapped registers and the relay coil exist; anything else gets exception 02, as a real
/// meter answers an unmapped address. Energy is read-only; the setting registers take FC10 writes in whole pairs.</summary>
public sealed class ModbusMeterSlave(SimulatedElectricMeter meter, ModbusMeterProfile profile)
{
    public SimulatedElectricMeter Meter => meter;

    public ModbusResponse Handle(ModbusRequest request)
    {
        switch (request.Function)
        {
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
            {
                var image = RegisterImage();
                if (request.Address + request.Quantity > image.Length)
                {
                    return Fail(request, ModbusExceptionCode.IllegalDataAddress);
                }
                return ModbusResponse.ReadRegisters(request.Function, image.AsSpan(request.Address, request.Quantity).ToArray());
            }
            case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                return request.Address == profile.RelayTripCoil && request.Quantity == 1
                    ? ModbusResponse.ReadBits(request.Function, [meter.RelayOpen])
                    : Fail(request, ModbusExceptionCode.IllegalDataAddress);
            case ModbusFunction.WriteSingleCoil:
                if (request.Address != profile.RelayTripCoil)
                {
                    return Fail(request, ModbusExceptionCode.IllegalDataAddress);
                }
                return SetRelay(request.Value == ModbusRequest.CoilOn)
                    ? ModbusResponse.WriteAck(request.Function, request.Address, request.Value)
                    : Fail(request, ModbusExceptionCode.ServerDeviceFailure);
            case ModbusFunction.WriteMultipleCoils:
                if (request.Address != profile.RelayTripCoil || request.Quantity != 1)
                {
                    return Fail(request, ModbusExceptionCode.IllegalDataAddress);
                }
                return SetRelay(request.Coils[0])
                    ? ModbusResponse.WriteAck(request.Function, request.Address, request.Quantity)
                    : Fail(request, ModbusExceptionCode.ServerDeviceFailure);
            case ModbusFunction.WriteMultipleRegisters:
                return WriteSettings(request)
                    ? ModbusResponse.WriteAck(request.Function, request.Address, request.Quantity)
                    : Fail(request, ModbusExceptionCode.IllegalDataAddress);
            default:
                return Fail(request, ModbusExceptionCode.IllegalDataAddress);
        }
    }

    private bool SetRelay(bool open)
    {
        if (open)
        {
            // Refused while keep-power holds; reported as a device failure.
            return meter.Trip();
        }
        meter.Close();
        return true;
    }

    /// <summary>Only whole setting pairs are writable; a write touching anything else changes nothing.</summary>
    private bool WriteSettings(ModbusRequest request)
    {
        if (request.Quantity % 2 != 0)
        {
            return false;
        }
        var byAddress = profile.SettingRegisters.ToDictionary(s => s.Value, s => s.Key);
        var writes = new List<(MeterParameter, long)>();
        for (var i = 0; i < request.Quantity; i += 2)
        {
            if (!byAddress.TryGetValue((ushort)(request.Address + i), out var parameter))
            {
                return false;
            }
            writes.Add((parameter, profile.SettingValue(request.Registers.AsSpan(i, 2))));
        }
        foreach (var (parameter, value) in writes)
        {
            meter.Settings[parameter.Name()] = value;
        }
        return true;
    }

    private ushort[] RegisterImage()
    {
        var end = profile.TotalEnergyRegister + profile.EnergyBlockLength;
        if (profile.RelayStatusRegister is { } status) end = Math.Max(end, status + 1);
        foreach (var address in profile.SettingRegisters.Values) end = Math.Max(end, address + 2);
        var image = new ushort[end];
        profile.EncodeEnergies(meter.ReadEnergies(), image.AsSpan(profile.TotalEnergyRegister));
        if (profile.RelayStatusRegister is { } relay) image[relay] = meter.RelayOpen ? (ushort)1 : (ushort)0;
        foreach (var (parameter, address) in profile.SettingRegisters)
        {
            profile.SettingWords(meter.Settings.GetValueOrDefault(parameter.Name())).CopyTo(image, address);
        }
        return image;
    }

    private static ModbusResponse Fail(ModbusRequest request, ModbusExceptionCode code) =>
        ModbusResponse.Failure(request.Function, code);
}
