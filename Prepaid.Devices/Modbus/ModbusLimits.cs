namespace Prepaid.Devices.Modbus;

/// <summary>Size limits from libmodbus <c>modbus.h</c>, which cites Modbus_Application_Protocol_V1_1b.</summary>
public static class ModbusLimits
{
    /// <summary>RS-485 ADU is 256 bytes: 1 address + 253 PDU + 2 CRC.</summary>
    public const int MaxPduLength = 253;

    public const int MaxRtuFrameLength = 256;

    /// <summary>7-byte MBAP header + 253-byte PDU.</summary>
    public const int MaxTcpFrameLength = 260;

    public const int MaxReadBits = 2000;
    public const int MaxWriteBits = 1968;
    public const int MaxReadRegisters = 125;
    public const int MaxWriteRegisters = 123;
}
