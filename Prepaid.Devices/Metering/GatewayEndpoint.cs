namespace Prepaid.Devices.Metering;

public enum GatewayProtocol
{
    /// <summary>Modbus TCP gateway routing by unit id onto its RS-485 bus.</summary>
    ModbusTcp,

    /// <summary>Transparent DTU: raw RTU frames inside TCP.</summary>
    ModbusRtuOverTcp,

    /// <summary>RTU on a local serial port.</summary>
    ModbusRtu,

    /// <summary>TCP-to-RS-485 converter with DL/T 645 meters behind it.</summary>
    Dlt645Tcp,

    /// <summary>TCP-to-M-Bus/RS-485 converter with CJ/T 188 meters behind it.</summary>
    Cjt188Tcp,
}

/// <summary>How to reach one bus: a TCP endpoint or a serial port, the reply timeout, and the meters' clock zone
/// (DL/T 645 valid-until times are the meter's local wall clock).</summary>
public sealed record GatewayEndpoint(
    GatewayProtocol Protocol, string? Host, int Port, string? SerialPort, int BaudRate, TimeSpan Timeout, TimeSpan MeterUtcOffset);
