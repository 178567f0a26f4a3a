using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Metering;

public enum MeterProtocol
{
    Modbus,
    Dlt645,
    Cjt188,

    /// <summary>Reached through a carrier platform (Huawei IoTDA, CTWing); reports on its own schedule.</summary>
    NbIot,
}

/// <summary>What a meter model can do beyond reporting its register.</summary>
[Flags]
public enum MeterCapabilities
{
    None = 0,
    Relay = 1,
    Valve = 2,
    KeepPower = 4,
    PeriodRegisters = 8,

    /// <summary>Writable tariff prices and money limits (DL/T 645 0x14), for meters with local prepaid logic.</summary>
    Parameters = 16,
}

/// <summary>A meter model as data: protocol, register map and abilities. Chosen per meter by name in its connection.</summary>
/// <param name="Verified">False when the map comes second-hand and has not been checked on a device (Acrel).</param>
/// <param name="ModbusControlRegister">Models that switch by writing two holding registers with FC 0x10 instead of a coil.</param>
/// <param name="Dlt645EnergyBlock">Read total and periods with the block DI 0001FF00 in one request; otherwise five reads.</param>
public sealed record MeterProfile(
    string Name,
    string Description,
    MeterProtocol Protocol,
    string Utility,
    MeterCapabilities Capabilities,
    bool Verified,
    ModbusMeterProfile? Modbus = null,
    ushort? ModbusControlRegister = null,
    bool Dlt645EnergyBlock = false,
    byte Cjt188MeterType = 0x10)
{
    public bool Can(MeterCapabilities capability) => (Capabilities & capability) == capability;
}
