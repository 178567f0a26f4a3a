namespace Prepaid.Devices.Modbus;

/// <summary>A request PDU. One record serves all eight functions because they share address and
/// quantity; the factories enforce each function's limits so an encoded request is always legal.</summary>
/// <param name="Value">FC05: 0xFF00 (on) or 0x0000 (off); FC06: the register value.</param>
/// <param name="Registers">FC10 only.</param>
/// <param name="Coils">FC0F only.</param>
public sealed record ModbusRequest(
    ModbusFunction Function,
    ushort Address,
    ushort Quantity,
    ushort Value,
    ushort[] Registers,
    bool[] Coils)
{
    public const ushort CoilOn = 0xFF00;
    public const ushort CoilOff = 0x0000;

    public static ModbusRequest ReadCoils(ushort address, int quantity) =>
        Read(ModbusFunction.ReadCoils, address, quantity, ModbusLimits.MaxReadBits);

    public static ModbusRequest ReadDiscreteInputs(ushort address, int quantity) =>
        Read(ModbusFunction.ReadDiscreteInputs, address, quantity, ModbusLimits.MaxReadBits);

    public static ModbusRequest ReadHoldingRegisters(ushort address, int quantity) =>
        Read(ModbusFunction.ReadHoldingRegisters, address, quantity, ModbusLimits.MaxReadRegisters);

    public static ModbusRequest ReadInputRegisters(ushort address, int quantity) =>
        Read(ModbusFunction.ReadInputRegisters, address, quantity, ModbusLimits.MaxReadRegisters);

    public static ModbusRequest WriteSingleCoil(ushort address, bool on) =>
        new(ModbusFunction.WriteSingleCoil, address, 1, on ? CoilOn : CoilOff, [], []);

    public static ModbusRequest WriteSingleRegister(ushort address, ushort value) =>
        new(ModbusFunction.WriteSingleRegister, address, 1, value, [], []);

    public static ModbusRequest WriteMultipleCoils(ushort address, bool[] coils)
    {
        CheckQuantity(coils.Length, ModbusLimits.MaxWriteBits, address);
        return new(ModbusFunction.WriteMultipleCoils, address, (ushort)coils.Length, 0, [], coils);
    }

    public static ModbusRequest WriteMultipleRegisters(ushort address, ushort[] registers)
    {
        CheckQuantity(registers.Length, ModbusLimits.MaxWriteRegisters, address);
        return new(ModbusFunction.WriteMultipleRegisters, address, (ushort)registers.Length, 0, registers, []);
    }

    private static ModbusRequest Read(ModbusFunction function, ushort address, int quantity, int max)
    {
        CheckQuantity(quantity, max, address);
        return new(function, address, (ushort)quantity, 0, [], []);
    }

    private static void CheckQuantity(int quantity, int max, ushort address)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, max);
        // The last addressed item must still be inside the 16-bit address space.
        if (address + quantity > 0x10000)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), "Range runs past address 0xFFFF.");
        }
    }
}
