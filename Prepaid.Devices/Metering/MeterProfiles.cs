using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Metering;

/// <summary>The meter models the platform knows. A new model is a new entry here, not new code.</summary>
public static class MeterProfiles
{
    /// <summary>Total + four period registers (0.01 kWh) and a relay coil with a status register; what the simulator serves.</summary>
    public static MeterProfile GenericModbus { get; } = new(
        "generic-modbus", "Generic Modbus electricity meter: total + 4 period registers, relay coil 0, status HR 0x000A",
        MeterProtocol.Modbus, "electricity", MeterCapabilities.Relay | MeterCapabilities.PeriodRegisters, Verified: true,
        Modbus: ModbusMeterProfile.Generic);

    /// <summary>
    /// Acrel DDSY1352-style map from one open-source EMS plugin (protocols-notes §4): energy HR 0x0000 and periods
    /// 0x0002.., control HR 0x0057 written with FC 0x10 (trip 0001 0001, restore 0001 0000) and read back from the same
    /// registers. Not checked against an Acrel manual or device: flagged unverified, use only after a site test.
    /// </summary>
    public static MeterProfile AcrelUnverified { get; } = new(
        "acrel-ddsy1352", "Acrel DDSY1352-style prepaid meter (UNVERIFIED map: energy 0x0000.., control 0x0057 via FC 0x10)",
        MeterProtocol.Modbus, "electricity", MeterCapabilities.Relay | MeterCapabilities.PeriodRegisters, Verified: false,
        Modbus: ModbusMeterProfile.Generic with { RelayStatusRegister = 0x0058 }, ModbusControlRegister: 0x0057);

    /// <summary>DL/T 645-2007 meter: energies by block DI, relay and keep-power by 0x1C, read-back by status word 3.</summary>
    public static MeterProfile Dlt645 { get; } = new(
        "dlt645-2007", "DL/T 645-2007 electricity meter: energy block 0001FF00, 0x1C control, status word 3 read-back, 0x14 prices and limits",
        MeterProtocol.Dlt645, "electricity", MeterCapabilities.Relay | MeterCapabilities.KeepPower | MeterCapabilities.PeriodRegisters | MeterCapabilities.Parameters,
        Verified: true, Dlt645EnergyBlock: true);

    /// <summary>CJ/T 188-2004 cold-water meter with a motorised valve (A017), read-back by the ST bits of 901F.</summary>
    public static MeterProfile Cjt188Water { get; } = new(
        "cjt188-water", "CJ/T 188-2004 cold-water meter with valve: 901F reads, A017 valve, ST read-back",
        MeterProtocol.Cjt188, "water", MeterCapabilities.Valve, Verified: true);

    /// <summary>An NB-IoT electricity meter behind a carrier platform: reports total and relay, takes cached commands.</summary>
    public static MeterProfile NbIotElectric { get; } = new(
        "nbiot-electric", "NB-IoT electricity meter via IoTDA/CTWing: reports {total, relay}, commands cached until its next report",
        MeterProtocol.NbIot, "electricity", MeterCapabilities.Relay, Verified: true);

    /// <summary>An NB-IoT water meter with a valve behind a carrier platform.</summary>
    public static MeterProfile NbIotWater { get; } = new(
        "nbiot-water", "NB-IoT water meter via IoTDA/CTWing: reports {total, valve}, commands cached until its next report",
        MeterProtocol.NbIot, "water", MeterCapabilities.Valve, Verified: true);

    public static IReadOnlyList<MeterProfile> All { get; } = [GenericModbus, AcrelUnverified, Dlt645, Cjt188Water, NbIotElectric, NbIotWater];

    public static MeterProfile? Find(string? name) => All.FirstOrDefault(p => p.Name == name);
}
