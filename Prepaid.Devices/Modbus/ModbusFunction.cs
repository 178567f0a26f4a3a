namespace Prepaid.Devices.Modbus;

/// <summary>The public function codes a prepaid meter needs (Modbus Application Protocol V1.1b §6).</summary>
public enum ModbusFunction : byte
{
    ReadCoils = 0x01,
    ReadDiscreteInputs = 0x02,
    ReadHoldingRegisters = 0x03,
    ReadInputRegisters = 0x04,
    WriteSingleCoil = 0x05,
    WriteSingleRegister = 0x06,
    WriteMultipleCoils = 0x0F,
    WriteMultipleRegisters = 0x10,
}

public static class ModbusFunctions
{
    /// <summary>An exception response sets the top bit of the echoed function code.</summary>
    public const byte ExceptionFlag = 0x80;

    public static bool IsSupported(byte code) => code is 0x01 or 0x02 or 0x03 or 0x04 or 0x05 or 0x06 or 0x0F or 0x10;

    public static bool IsBitRead(ModbusFunction f) => f is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs;

    public static bool IsRegisterRead(ModbusFunction f) =>
        f is ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters;
}
