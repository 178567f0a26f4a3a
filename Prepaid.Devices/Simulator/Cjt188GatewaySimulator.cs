using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Simulator;

/// <summary>A TCP-to-M-Bus/RS-485 converter with CJ/T 188 water meters behind it, speaking one vendor's dialect
/// (<see cref="Cjt188MeterDialect"/>). Serves 901F reads and A017 valve control from its own frame code
/// (<see cref="Cjt188MeterFrames"/>), not the platform's codec.</summary>
public sealed class Cjt188GatewaySimulator(IEnumerable<SimulatedWaterMeter> meters, Cjt188MeterDialect? dialect = null)
    : LoopbackServer
{
    private const byte AnyType = 0xAA;
    private const byte CubicMetre = 0x2C;

    private readonly (SimulatedWaterMeter Meter, byte[] Wire)[] _meters =
        [.. meters.Select(m => (m, Cjt188MeterFrames.WireAddress(m.Address)))];
    private readonly Cjt188MeterDialect _dialect = dialect ?? Cjt188MeterDialect.Sc;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => Cjt188MeterFrames.Scan(buffer, out consumed);

    protected override byte[]? Respond(byte[] request)
    {
        var frame = Cjt188MeterFrames.Parse(request);
        // D7 set: a reply on the line (another meter's, or an echo), never something to answer.
        if ((frame.Control & 0x80) != 0 || frame.Body.Length < 3 || Find(frame) is not { } found)
        {
            return null;
        }
        var (meter, wire) = found;
        var body = frame.Body;
        var serial = body[2];
        var st0 = St0(meter);
        if (frame.Control == 0x01 && body.Length == 3 && body.AsSpan(0, 2).SequenceEqual(Cjt188MeterFrames.Di(0x90, 0x1F, _dialect.ReadDiLowFirst)))
        {
            return Cjt188MeterFrames.Build(meter.MeterType, wire, 0x81, ReadReply(meter, serial, st0));
        }
        if (frame.Control == _dialect.ValveControl && body.Length == 4
            && body.AsSpan(0, 2).SequenceEqual(Cjt188MeterFrames.Di(0xA0, 0x17, _dialect.ValveDiLowFirst)) && body[3] is 0x55 or 0x99)
        {
            meter.SetValve(closed: body[3] == 0x99);
            return Cjt188MeterFrames.Build(meter.MeterType, wire, (byte)(_dialect.ValveControl | 0x80),
                [.. body.AsSpan(0, 3), St0(meter), 0x00]);
        }
        // Abnormal reply: C with D7 and D6 set, then SER ST0 ST1.
        return Cjt188MeterFrames.Build(meter.MeterType, wire, (byte)(frame.Control | 0xC0), [serial, st0, 0x00]);
    }

    /// <summary>The 901F reply DATA (22 bytes): DI SER, current and settlement-day flow (4-byte BCD, 0.01 m³) each with its
    /// unit, the meter's clock ss mm hh DD MM YY_L YY_H, ST0 ST1.</summary>
    private byte[] ReadReply(SimulatedWaterMeter meter, byte serial, byte st0)
    {
        var d = new byte[22];
        Cjt188MeterFrames.Di(0x90, 0x1F, _dialect.ReadDiLowFirst).CopyTo(d, 0);
        d[2] = serial;
        // The flow register holds 0.01 m³ = 10 L; the meter truncates, never rounds up.
        Cjt188MeterFrames.BcdLowFirst(meter.ReadMillilitres() / 10_000, d.AsSpan(3, 4));
        d[7] = CubicMetre;
        Cjt188MeterFrames.BcdLowFirst(meter.SettlementMillilitres / 10_000, d.AsSpan(8, 4));
        d[12] = CubicMetre;
        var t = meter.LocalNow;
        d[13] = Cjt188MeterFrames.Bcd(t.Second);
        d[14] = Cjt188MeterFrames.Bcd(t.Minute);
        d[15] = Cjt188MeterFrames.Bcd(t.Hour);
        d[16] = Cjt188MeterFrames.Bcd(t.Day);
        d[17] = Cjt188MeterFrames.Bcd(t.Month);
        d[18] = Cjt188MeterFrames.Bcd(t.Year % 100);
        d[19] = Cjt188MeterFrames.Bcd(t.Year / 100);
        d[20] = st0;
        d[21] = meter.St1;
        return d;
    }

    private (SimulatedWaterMeter Meter, byte[] Wire)? Find(Cjt188MeterFrames.Request frame)
    {
        if (frame.Address.All(b => b == 0xAA))
        {
            return _meters.Length == 1 ? _meters[0] : null;
        }
        foreach (var m in _meters)
        {
            if (m.Wire.AsSpan().SequenceEqual(frame.Address) && (frame.Type == m.Meter.MeterType || frame.Type == AnyType))
            {
                return m;
            }
        }
        return null;
    }

    /// <summary>ST0: the 2-bit valve field (00 open, 01 closed) at the dialect's position, and the battery bit.</summary>
    private byte St0(SimulatedWaterMeter meter) =>
        (byte)(((meter.ValveClosed ? 1 : 0) << _dialect.ValveShift) | (meter.BatteryLow ? _dialect.BatteryMask : 0) | meter.St0Vendor);
}
