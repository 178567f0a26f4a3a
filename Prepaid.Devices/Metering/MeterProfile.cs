using Prepaid.Devices.Cjt188;
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
}

/// <summary>A meter model as data: protocol, register map and abilities, the documents it was written from, and what
/// in it no published document backs. Chosen per meter by name in its connection.</summary>
/// <param name="ModbusControlRegister">Models that switch by writing two holding registers with FC 0x10 instead of a coil.</param>
/// <param name="Dlt645EnergyBlock">Read total and periods with the block DI 0001FF00 in one request; otherwise five reads.</param>
/// <param name="Cjt188Dialect">The vendor's CJ/T 188 dialect (DI orders per command, valve control code, ST bits).</param>
public sealed record MeterProfile(
    string Name,
    string Description,
    MeterProtocol Protocol,
    string Utility,
    MeterCapabilities Capabilities,
    ModbusMeterProfile? Modbus = null,
    ushort? ModbusControlRegister = null,
    bool Dlt645EnergyBlock = false,
    byte Cjt188MeterType = 0x10,
    Cjt188Options? Cjt188Dialect = null)
{
    /// <summary>Published documents the map comes from.</summary>
    public IReadOnlyList<ProfileSource> Sources { get; init; } = [];

    /// <summary>Parts of the map no published document backs; each one is said here, in code and in the profile list.</summary>
    public IReadOnlyList<string> Unverified { get; init; } = [];

    /// <summary>Values pushTariff / pushSettings can write to this model (it holds them for its own prepaid logic).</summary>
    public IReadOnlyList<MeterParameter> Parameters { get; init; } = [];

    /// <summary>NB-IoT models: how often the meter reports unless its connection says otherwise.</summary>
    public TimeSpan? ReportPeriod { get; init; }

    public bool Verified => Unverified.Count == 0;

    public bool Can(MeterCapabilities capability) => (Capabilities & capability) == capability;

    public bool Takes(MeterParameter parameter) => Parameters.Contains(parameter);
}
