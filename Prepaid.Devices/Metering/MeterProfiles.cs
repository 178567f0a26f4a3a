using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Metering;

/// <summary>
/// The meter models the platform knows. A new model is a new entry here, not new code. Each names the documents it was
/// written from; whatever no published document backs is listed in <see cref="MeterProfile.Unverified"/> and shown as
/// unverified in <c>GET /api/meter-profiles</c>.
/// </summary>
public static class MeterProfiles
{
    static readonly ProfileSource AcrelManual = new(
        "DDSY1352/DTSY1352 Operation Manual of wireless prepaid watt-hour meter (T181), §8.1 “DDSY1352 communication address table”",
        "Acrel Co., Ltd.", "T1.0, 2021-06-25", "https://manualshive.com/en/manual/acrel/ddsy1352/2841079?page=15 (also manualslib.com/manual/2584693)",
        "energy registers 0000H–0009H: total and 尖峰平谷 energies, UINT32, factor 0.01 kWh, read with FC03; RS-485 at 1200–38400 bd, no or even parity");

    static readonly ProfileSource ScExchange = new(
        "常用传感器协议1/2：CJ/T-188 水表协议解析 (the SC water meter's read and valve exchanges)",
        "cnblogs.com/yangykaifa (blog), mirrored by hftangyu.com and topic.alibabacloud.com", "web article, undated",
        "https://cnblogs.com/yangykaifa/p/7010777.html; https://hftangyu.com/563.html; https://topic.alibabacloud.com/a/cjt-188-water-meter-protocol-analysis-2_8_8_31389474.html",
        "901F read sent 1F 90 with its 22-byte reply (flow 4-byte BCD, 0.01 m³, unit 2C; time ss mm hh DD MM YY YY; ST), valve A017 sent A0 17 with "
        + "C = 04, 55 open / 99 close, reply 84 with ST: 00 open, 01 closed, 11 abnormal in ST0 bits 0–1");

    static readonly ProfileSource Cjt188Standard = new(
        "CJ/T 188-2004 户用计量仪表数据传输技术条件, as read in protocols-notes §3 (KingDa NB water-meter firmware header, sdqr node cj188.h, python_cjt188)",
        "Ministry of Construction of the PRC (standard); firmware and driver sources as cited in the notes", "2004",
        "shared/docs/protocols-notes.md §3", "frame layout, control codes, DI list, 901F reply layout, KingDa ST bits");

    /// <summary>This platform's own map (what the simulator serves): energy as Acrel lays it out, relay coil 0, status HR 0x000A,
    /// prices, money limits and the overload limit in HR 0x0010..0x001D.</summary>
    public static MeterProfile GenericModbus { get; } = new(
        "generic-modbus", "Generic Modbus electricity meter (this platform's map): total + 4 period registers, relay coil 0, status HR 0x000A, "
        + "prices, alarm limits and overload limit in HR 0x0010–0x001D",
        MeterProtocol.Modbus, "electricity", MeterCapabilities.Relay | MeterCapabilities.PeriodRegisters, Modbus: ModbusMeterProfile.Generic)
    {
        Sources = [new("ModbusMeterProfile.Generic (Prepaid.Devices/Modbus/ModbusMeterProfile.cs)", "this platform", "—", "—", "the whole map; its simulator serves it")],
        Parameters = [.. MeterParameters.Prices, MeterParameter.Alarm1, MeterParameter.Alarm2, MeterParameter.OverloadLimit],
    };

    /// <summary>Acrel DDSY1352 read from the table in Acrel's own manual. The pages of it that could be read hold no relay
    /// control or settings register, so the platform only reads it: the meter's own prepaid logic (card, local balance)
    /// cuts supply.</summary>
    public static MeterProfile AcrelDdsy1352 { get; } = new(
        "acrel-ddsy1352", "Acrel DDSY1352 prepaid meter over RS-485 Modbus, map from Acrel's manual T1.0 §8.1: energy total and 尖峰平谷 periods "
        + "(0000H–0009H, 0.01 kWh); read only — no remote relay register is published in the table read",
        MeterProtocol.Modbus, "electricity", MeterCapabilities.PeriodRegisters,
        Modbus: ModbusMeterProfile.Generic with { RelayTripCoil = null, RelayStatusRegister = null, SettingRegisters = new Dictionary<MeterParameter, ushort>() })
    {
        Sources = [AcrelManual],
    };

    /// <summary>
    /// The map one open-source EMS plugin uses for Acrel meters (protocols-notes §4): Acrel's published energy registers, and
    /// relay control by FC 0x10 to HR 0x0057 (0001 0001 cut, 0001 0000 restore) read back from the same pair. That control
    /// register is in no Acrel document we could read: flagged unverified, use only after a site test.
    /// </summary>
    public static MeterProfile AcrelEmsPlugin { get; } = new(
        "acrel-ems-plugin", "Acrel-style map of the info.zhihui.ems plugin: Acrel's energy registers, relay control HR 0x0057 via FC 0x10 "
        + "(UNVERIFIED: the control register is not in Acrel's published table)",
        MeterProtocol.Modbus, "electricity", MeterCapabilities.Relay | MeterCapabilities.PeriodRegisters,
        Modbus: ModbusMeterProfile.Generic with { RelayStatusRegister = 0x0058, SettingRegisters = new Dictionary<MeterParameter, ushort>() },
        ModbusControlRegister: 0x0057)
    {
        Sources = [AcrelManual],
        Unverified =
        [
            "Relay control HR 0x0057–0x0058 (FC 0x10: 0001 0001 cut, 0001 0000 restore) and its read-back come from one open-source EMS "
            + "plugin (Java package info.zhihui.ems.iot.plugins.acrel, protocols-notes §4), not from an Acrel document: the pages of Acrel's "
            + "manual T1.0 that could be read list registers 0000H–0010H only.",
        ],
    };

    /// <summary>DL/T 645-2007 meter: energies by block DI, relay and keep-power by 0x1C, read-back by status word 3.</summary>
    public static MeterProfile Dlt645 { get; } = new(
        "dlt645-2007", "DL/T 645-2007 electricity meter: energy block 0001FF00, 0x1C control, status word 3 read-back, 0x14 prices and alarm limits",
        MeterProtocol.Dlt645, "electricity", MeterCapabilities.Relay | MeterCapabilities.KeepPower | MeterCapabilities.PeriodRegisters,
        Dlt645EnergyBlock: true)
    {
        Sources =
        [
            new("DL/T 645-2007 多功能电能表通信协议, as read in protocols-notes §2 (worked frames §2.7 RAN; 0x1C block from the standard's text in "
                + "LoverITer/energy-management-sys; prepaid DIs from the PMC340 driver of yjiong/iotgateway)", "China Electricity Council (standard)",
                "2007", "shared/docs/protocols-notes.md §2", "frames, control codes, DIs 0001FF00 / 04000503 / 04050101–04 / 04001001–02"),
        ],
        Parameters = [.. MeterParameters.Prices, MeterParameter.Alarm1, MeterParameter.Alarm2],
    };

    /// <summary>CJ/T 188-2004 cold-water meter with a motorised valve, in the dialect the field evidence supports.</summary>
    public static MeterProfile Cjt188Water { get; } = new(
        "cjt188-water", "CJ/T 188-2004 cold-water meter with valve: 901F read (DI sent 1F 90), A017 valve (A0 17, C = 04), ST read-back",
        MeterProtocol.Cjt188, "water", MeterCapabilities.Valve, Cjt188Dialect: Cjt188Options.Default)
    {
        Sources = [Cjt188Standard, ScExchange],
    };

    /// <summary>The SC water meter of the published exchange (factory code 7833 in its address): the field defaults, and no
    /// battery bit, since the article does not define one.</summary>
    public static MeterProfile Cjt188Sc { get; } = new(
        "cjt188-sc-valve", "SC valve-controlled water meter (CJ/T 188, published exchange): read 1F 90, valve A0 17 with C = 04, ST0 bits 0–1 valve",
        MeterProtocol.Cjt188, "water", MeterCapabilities.Valve, Cjt188Dialect: Cjt188Options.Default with { BatteryLowMask = 0 })
    {
        Sources = [ScExchange],
    };

    /// <summary>Meters that send 901F high byte first.</summary>
    public static MeterProfile Cjt188HighFirst { get; } = new(
        "cjt188-water-di-high-first", "CJ/T 188-2004 water meter sending DI 901F as 90 1F (UNVERIFIED reply layout), valve A0 17 with C = 04",
        MeterProtocol.Cjt188, "water", MeterCapabilities.Valve, Cjt188Dialect: Cjt188Options.Default with { ReadDiOrder = Cjt188DiOrder.HighByteFirst })
    {
        Sources = [Cjt188Standard],
        Unverified =
        [
            "A 22-byte 901F reply with the DI high byte first is only shown by python_cjt188's self-test frames (protocols-notes §3.4); the one "
            + "vendor document found that sends 90 1F (ultrasonic water meter protocol RD-W10-00101 v01, 2013) answers in another layout.",
        ],
    };

    /// <summary>Firmwares that drive the valve with control code 0x2A (reply 0xAA).</summary>
    public static MeterProfile Cjt188Valve2A { get; } = new(
        "cjt188-water-valve-2a", "CJ/T 188-2004 water meter whose firmware drives the valve with C = 2A (reply AA): read 1F 90, valve A0 17 (UNVERIFIED)",
        MeterProtocol.Cjt188, "water", MeterCapabilities.Valve, Cjt188Dialect: Cjt188Options.Default with { ValveControlCode = 0x2A })
    {
        Sources = [Cjt188Standard],
        Unverified =
        [
            "Valve control with C = 0x2A (…2A 04 A0 17 SER 55|99, reply …AA 05 A0 17 SER ST0 ST1) comes from field captures reported in issue 11; "
            + "no published document of it was found. Its reply's ST is recorded, the 901F read-back decides.",
        ],
    };

    /// <summary>An NB-IoT electricity meter behind a carrier platform: reports total and relay, takes cached commands.</summary>
    public static MeterProfile NbIotElectric { get; } = new(
        "nbiot-electric", "NB-IoT electricity meter via IoTDA/CTWing: reports {total, relay}, commands cached until its next report",
        MeterProtocol.NbIot, "electricity", MeterCapabilities.Relay)
    {
        Sources = [new("NbIotPayloads (Prepaid.Devices/NbIot/NbIotPayloads.cs): the payload our NB meters' codec plugin defines", "this platform", "—", "—", "report and command payloads")],
        ReportPeriod = TimeSpan.FromHours(24),
    };

    /// <summary>An NB-IoT water meter with a valve behind a carrier platform.</summary>
    public static MeterProfile NbIotWater { get; } = new(
        "nbiot-water", "NB-IoT water meter via IoTDA/CTWing: reports {total, valve}, commands cached until its next report",
        MeterProtocol.NbIot, "water", MeterCapabilities.Valve)
    {
        Sources = NbIotElectric.Sources,
        ReportPeriod = TimeSpan.FromHours(24),
    };

    public static IReadOnlyList<MeterProfile> All { get; } =
        [GenericModbus, AcrelDdsy1352, AcrelEmsPlugin, Dlt645, Cjt188Water, Cjt188Sc, Cjt188HighFirst, Cjt188Valve2A, NbIotElectric, NbIotWater];

    public static MeterProfile? Find(string? name) => All.FirstOrDefault(p => p.Name == name);
}
