using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Simulator;

/// <summary>Answers Modbus requests for one simulated meter from its <see cref="ModbusMeterProfile"/>.
/// Only the mapped registers and the relay coil exist; anything else gets exception 02, as a real
/// meter answers an unmapped address.</summary>
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
            default:
                // The register map is read-only: energy is never written over the bus.
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

    private ushort[] RegisterImage()
    {
        var image = new ushort[Math.Max(profile.TotalEnergyRegister + profile.EnergyBlockLength, profile.RelayStatusRegister + 1)];
        profile.EncodeEnergies(meter.ReadEnergies(), image.AsSpan(profile.TotalEnergyRegister));
        image[profile.RelayStatusRegister] = meter.RelayOpen ? (ushort)1 : (ushort)0;
        return image;
    }

    private static ModbusResponse Fail(ModbusRequest request, ModbusExceptionCode code) =>
        ModbusResponse.Failure(request.Function, code);
}
