using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>A TCP-to-RS-485 converter with DL/T 645-2007 meters behind it. Serves energy (total, periods 1..4, the
/// block), status word 3, tariff prices and money limits (0x14 write, read back with 0x11) and 0x1C relay control with
/// valid-until checking, all from its own frame code (<see cref="Dlt645MeterFrames"/>), not the platform's codec.</summary>
public sealed class Dlt645GatewaySimulator(IEnumerable<SimulatedElectricMeter> meters) : LoopbackServer
{
    // Function codes (D4..D0) and the reply / abnormal bits of C (notes §2.3).
    private const byte Read = 0x11, Write = 0x14, Control = 0x1C, ReplyBit = 0x80, ErrorBit = 0x40;

    // The error byte of an abnormal reply: bit0 other error, bit1 no requested data, bit2 wrong password.
    private const byte OtherError = 0x01, NoData = 0x02, Unauthorised = 0x04;

    // Data identifiers (DI3..DI0) served here.
    private const uint CombinedTotal = 0x0000_0000, ForwardTotal = 0x0001_0000, ForwardBlock = 0x0001_FF00, StatusWord3 = 0x0400_0503;

    // Status word 3: bit4 relay open, bit6 commanded open, bit7 pre-trip alarm, bits 8–9 = 01 energy-prepaid, bit12 keep-power.
    private const ushort RelayOpenBit = 1 << 4, CommandOpenBit = 1 << 6, AlarmBit = 1 << 7, PrepaidType = 1 << 8, KeepPowerBit = 1 << 12;

    /// <summary>Writable parameters by DI (PMC340 map, notes §2.5): 4 BCD bytes, prices XXXX.XXXX, money XXXXXX.XX.</summary>
    private static readonly Dictionary<uint, string> Settings = new()
    {
        [0x0405_0101] = MeterSettings.Price1, [0x0405_0102] = MeterSettings.Price2,
        [0x0405_0103] = MeterSettings.Price3, [0x0405_0104] = MeterSettings.Price4,
        [0x0400_1001] = MeterSettings.Alarm1, [0x0400_1002] = MeterSettings.Alarm2,
    };

    private readonly (SimulatedElectricMeter Meter, byte[] Wire)[] _meters =
        [.. meters.Select(m => (m, Dlt645MeterFrames.WireAddress(m.Address)))];

    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => Dlt645MeterFrames.Scan(buffer, out consumed);

    protected override byte[]? Respond(byte[] request)
    {
        var frame = Dlt645MeterFrames.Parse(request);
        // Replies on the line and broadcasts (99…99) are never answered.
        if ((frame.Control & ReplyBit) != 0 || frame.Address.All(b => b == 0x99) || Find(frame.Address) is not { } found)
        {
            return null;
        }
        var (meter, wire) = found;
        return frame.Control switch
        {
            Read => Answer(wire, Read, ReadData(meter, frame.Data)),
            Write => Answer(wire, Write, WriteData(meter, frame.Data)),
            Control => Answer(wire, Control, Act(meter, frame.Data)),
            _ => null,
        };
    }

    /// <summary>Normal reply (C | 0x80) with the data, or abnormal reply (C | 0xC0) with one error byte.</summary>
    private static byte[] Answer(byte[] wire, byte function, (byte[]? Data, byte Error) outcome) => outcome.Data is { } data
        ? Dlt645MeterFrames.Build(wire, (byte)(function | ReplyBit), data)
        : Dlt645MeterFrames.Build(wire, (byte)(function | ReplyBit | ErrorBit), [outcome.Error]);

    private (SimulatedElectricMeter, byte[])? Find(byte[] address)
    {
        if (address.All(b => b == 0xAA))
        {
            // Wildcard only makes sense on a point-to-point link: answer if exactly one meter.
            return _meters.Length == 1 ? _meters[0] : null;
        }
        foreach (var m in _meters)
        {
            if (m.Wire.AsSpan().SequenceEqual(address)) return m;
        }
        return null;
    }

    private static (byte[]?, byte) ReadData(SimulatedElectricMeter meter, byte[] data)
    {
        if (data.Length != 4)
        {
            return (null, OtherError);
        }
        var dataId = Dlt645MeterFrames.DataId(data);
        var energies = meter.ReadEnergies();
        // Energy is XXXXXX.XX kWh: tens of Wh, truncated as a display is, wrapping at 1,000,000 kWh.
        static byte[] Energy(long wh) => Dlt645MeterFrames.Bcd(wh / 10, 4);
        byte[]? value = dataId switch
        {
            ForwardTotal or CombinedTotal => Energy(energies.TotalWh),
            >= 0x0001_0100 and <= 0x0001_0400 when (dataId & 0xFF) == 0 => Energy(energies.PeriodsWh[(int)((dataId >> 8) & 0xFF) - 1]),
            ForwardBlock => [.. Energy(energies.TotalWh), .. energies.PeriodsWh.SelectMany(Energy)],
            StatusWord3 => Word(StatusWord(meter)),
            _ when Settings.TryGetValue(dataId, out var name) && meter.Settings.TryGetValue(name, out var scaled) => Dlt645MeterFrames.Bcd(scaled, 4),
            _ => null,
        };
        return value is null ? (null, NoData) : ([.. data, .. value], 0);
    }

    private static byte[] Word(ushort word) => [(byte)word, (byte)(word >> 8)];

    private static ushort StatusWord(SimulatedElectricMeter meter) => (ushort)(PrepaidType
        | (meter.RelayOpen ? RelayOpenBit : 0) | (meter.CommandOpen ? CommandOpenBit : 0)
        | (meter.Alarm ? AlarmBit : 0) | (meter.KeepPower ? KeepPowerBit : 0));

    /// <summary>0x14: DI(4) PA P0P1P2 C0..C3 value(4). The reply carries no data.</summary>
    private static (byte[]?, byte) WriteData(SimulatedElectricMeter meter, byte[] data)
    {
        if (data.Length != 16 || !Settings.TryGetValue(Dlt645MeterFrames.DataId(data), out var name)
            || Dlt645MeterFrames.FromBcd(data.AsSpan(12, 4)) is not { } scaled)
        {
            return (null, OtherError);
        }
        if (!PasswordMatches(meter, data.AsSpan(5, 3)))
        {
            return (null, Unauthorised);
        }
        meter.Settings[name] = scaled;
        return ([], 0);
    }

    /// <summary>0x1C: PA P0P1P2 C0..C3 N1 N2 N3..N8, N3..N8 = valid-until ss mm hh DD MM YY (BCD).</summary>
    private static (byte[]?, byte) Act(SimulatedElectricMeter meter, byte[] data)
    {
        if (data.Length != 16)
        {
            return (null, OtherError);
        }
        if (!PasswordMatches(meter, data.AsSpan(1, 3)))
        {
            return (null, Unauthorised);
        }
        // An expired (or unreadable) valid-until time is refused, as firmware's JudgeContrlTime does.
        if (ValidUntil(data.AsSpan(10, 6)) is not { } validUntil || validUntil < meter.LocalNow)
        {
            return (null, OtherError);
        }
        var accepted = true;
        switch (data[8])
        {
            case 0x1A:
                accepted = meter.Trip();
                break;
            case 0x1B:
                meter.AllowClose();
                break;
            case 0x1C:
                meter.Close();
                break;
            case 0x2A or 0x2B:
                meter.SetAlarm(data[8] == 0x2A);
                break;
            case 0x3A or 0x3B:
                meter.SetKeepPower(data[8] == 0x3A);
                break;
            default:
                accepted = false;
                break;
        }
        return accepted ? ([], 0) : (null, OtherError);
    }

    /// <summary>P0..P2 as sent (lowest byte first) against the meter's printed password.</summary>
    private static bool PasswordMatches(SimulatedElectricMeter meter, ReadOnlySpan<byte> sent) =>
        Dlt645MeterFrames.WireAddress(meter.Password).AsSpan().SequenceEqual(sent);

    private static DateTime? ValidUntil(ReadOnlySpan<byte> t)
    {
        var v = new int[6];
        for (var i = 0; i < 6; i++)
        {
            if (Dlt645MeterFrames.FromBcd(t.Slice(i, 1)) is not { } pair) return null;
            v[i] = (int)pair;
        }
        int second = v[0], minute = v[1], hour = v[2], day = v[3], month = v[4], year = 2000 + v[5];
        if (month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }
        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }
}
