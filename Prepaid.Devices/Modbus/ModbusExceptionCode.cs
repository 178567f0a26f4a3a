namespace Prepaid.Devices.Modbus;

/// <summary>Exception codes 01–0B (libmodbus enum, Zeek consts). 09 is unassigned by the standard;
/// a device that sends it still decodes, as the raw value cast to this enum.</summary>
public enum ModbusExceptionCode : byte
{
    IllegalFunction = 0x01,
    IllegalDataAddress = 0x02,
    IllegalDataValue = 0x03,
    ServerDeviceFailure = 0x04,
    Acknowledge = 0x05,
    ServerDeviceBusy = 0x06,
    NegativeAcknowledge = 0x07,
    MemoryParityError = 0x08,

    /// <summary>The gateway has no route to the addressed unit (misconfiguration).</summary>
    GatewayPathUnavailable = 0x0A,

    /// <summary>The gateway's RS-485 slave did not answer: treat as "meter offline", not a bad request.</summary>
    GatewayTargetDeviceFailedToRespond = 0x0B,
}
