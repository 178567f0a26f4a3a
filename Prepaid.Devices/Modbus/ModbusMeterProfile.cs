namespace Prepaid.Devices.Modbus;

/// <summary>Where a Modbus meter model keeps its energy and relay, and how values are scaled.</summary>
/// <remarks>
/// The generic profile (what our simulator serves; the energy layout follows the Acrel map in
/// protocols-notes §4, which is itself unverified on hardware):
/// <code>
/// register 0x0000-0x0001  total forward active energy, uint32, 0.01 kWh
/// register 0x0002-0x0009  periods 1..4 (尖峰平谷), 2 registers each, same format
/// register 0x000A         relay status: 0 closed (supply on), 1 open (tripped)
/// coil     0x0000         relay trip: write ON (FF00) to open, OFF (0000) to close
/// </code>
/// The same map answers FC03 (holding) and FC04 (input).
/// </remarks>
public sealed record ModbusMeterProfile(
    ushort TotalEnergyRegister,
    ushort FirstPeriodRegister,
    int PeriodCount,
    long WhPerCount,
    WordOrder WordOrder,
    ushort RelayTripCoil,
    ushort RelayStatusRegister,
    bool UseInputRegisters)
{
    public static ModbusMeterProfile Generic { get; } = new(
        TotalEnergyRegister: 0x0000, FirstPeriodRegister: 0x0002, PeriodCount: 4, WhPerCount: 10,
        WordOrder: WordOrder.HighFirst, RelayTripCoil: 0x0000, RelayStatusRegister: 0x000A, UseInputRegisters: false);

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
