using Prepaid.Devices.Metering;

namespace Prepaid.Devices.Modbus;

/// <summary>Where a Modbus meter model keeps its energy, relay and settings, and how values are scaled.</summary>
/// <remarks>
/// The generic profile is this platform's own map, what its simulator serves. Its energy layout is that of Acrel's
/// DDSY1352 table (§8.1 of Acrel's manual T1.0, 2021-06-25); the rest is ours:
/// <code>
/// register 0x0000-0x0001  total forward active energy, uint32, 0.01 kWh
/// register 0x0002-0x0009  periods 1..4 (尖峰平谷), 2 registers each, same format
/// register 0x000A         relay status: 0 closed (supply on), 1 open (tripped)
/// register 0x0010-0x0017  tariff prices 1..4, uint32, 0.0001 yuan/kWh     (read FC03, write FC10)
/// register 0x0018-0x001B  alarm-1, alarm-2 money limits, uint32, fen
/// register 0x001C-0x001D  overload limit, uint32, W
/// coil     0x0000         relay trip: write ON (FF00) to open, OFF (0000) to close
/// </code>
/// The same map answers FC03 (holding) and FC04 (input). 32-bit values are two registers in <see cref="WordOrder"/>.
/// </remarks>
/// <param name="RelayTripCoil">Null when the model has no remote relay control over Modbus.</param>
/// <param name="RelayStatusRegister">Null when the model does not report its relay over Modbus.</param>
public sealed record ModbusMeterProfile(
    ushort TotalEnergyRegister,
    ushort FirstPeriodRegister,
    int PeriodCount,
    long WhPerCount,
    WordOrder WordOrder,
    ushort? RelayTripCoil,
    ushort? RelayStatusRegister,
    bool UseInputRegisters)
{
    /// <summary>Holding registers (two each, uint32) of the values the model takes for its local prepaid logic.</summary>
    public IReadOnlyDictionary<MeterParameter, ushort> SettingRegisters { get; init; } = new Dictionary<MeterParameter, ushort>();

    public static ModbusMeterProfile Generic { get; } = new(
        TotalEnergyRegister: 0x0000, FirstPeriodRegister: 0x0002, PeriodCount: 4, WhPerCount: 10,
        WordOrder: WordOrder.HighFirst, RelayTripCoil: 0x0000, RelayStatusRegister: 0x000A, UseInputRegisters: false)
    {
        SettingRegisters = new Dictionary<MeterParameter, ushort>
        {
            [MeterParameter.Price1] = 0x0010, [MeterParameter.Price2] = 0x0012, [MeterParameter.Price3] = 0x0014, [MeterParameter.Price4] = 0x0016,
            [MeterParameter.Alarm1] = 0x0018, [MeterParameter.Alarm2] = 0x001A, [MeterParameter.OverloadLimit] = 0x001C,
        },
    };

    /// <summary>Registers from <see cref="TotalEnergyRegister"/> through the last period.</summary>
    public int EnergyBlockLength => FirstPeriodRegister + 2 * PeriodCount - TotalEnergyRegister;

    /// <summary>Energies from a block read starting at <see cref="TotalEnergyRegister"/>.</summary>
    public MeterEnergies DecodeEnergies(ReadOnlySpan<ushort> block)
    {
        var total = Energy(block, 0);
        var periods = new long[PeriodCount];
        for (var i = 0; i < PeriodCount; i++)
        {
            periods[i] = Energy(block, FirstPeriodRegister - TotalEnergyRegister + 2 * i);
        }
        return new MeterEnergies(total, periods);
    }

    /// <summary>The meter side: writes the energy registers into a block image.</summary>
    public void EncodeEnergies(MeterEnergies energies, Span<ushort> block)
    {
        Write(energies.TotalWh, block, 0);
        for (var i = 0; i < PeriodCount; i++)
        {
            Write(energies.PeriodsWh[i], block, FirstPeriodRegister - TotalEnergyRegister + 2 * i);
        }
    }

    /// <summary>A setting's two registers for FC10.</summary>
    public ushort[] SettingWords(long scaled)
    {
        var (first, second) = ModbusWords.FromUInt32((uint)scaled, WordOrder);
        return [first, second];
    }

    public long SettingValue(ReadOnlySpan<ushort> words) => ModbusWords.ToUInt32(words[0], words[1], WordOrder);

    private long Energy(ReadOnlySpan<ushort> block, int offset) =>
        ModbusWords.ToUInt32(block[offset], block[offset + 1], WordOrder) * WhPerCount;

    private void Write(long energyWh, Span<ushort> block, int offset)
    {
        // uint32 counts wrap like a real register; the poller's delta logic handles rollover.
        var (first, second) = ModbusWords.FromUInt32((uint)(energyWh / WhPerCount), WordOrder);
        block[offset] = first;
        block[offset + 1] = second;
    }
}
