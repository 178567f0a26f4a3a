using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Cjt188;

/// <summary>Current metering data of a water meter (reply to 901F).</summary>
/// <param name="CurrentFlowScaled">Cumulative flow in units of 10^-FlowDecimals of <paramref name="CurrentUnit"/>.</param>
/// <param name="MeterTime">Null when the meter's clock bytes are not a real date (all zero is common).</param>
public sealed record Cjt188Reading(
    byte Serial,
    long CurrentFlowScaled,
    byte CurrentUnit,
    long SettlementFlowScaled,
    byte SettlementUnit,
    DateTime? MeterTime,
    Cjt188Status Status,
    int FlowDecimals)
{
    public long? CurrentFlowMillilitres => Cjt188Units.ToMillilitres(CurrentFlowScaled, CurrentUnit, FlowDecimals);
}

/// <summary>Read data, C = 0x01, DI 901F; reply C = 0x81 with 22 DATA bytes.</summary>
/// <remarks>
/// Reply DATA (offsets from DI0):
/// <code>
/// 00-01  DI (order per <see cref="Cjt188Options.ReadDiOrder"/>)
/// 02     SER echo
/// 03-06  current cumulative flow, BCD, least significant byte first
/// 07     unit (0x2C m³)
/// 08-11  settlement-day cumulative flow
/// 12     unit
/// 13-19  real time ss mm hh DD MM YY_L YY_H
/// 20-21  ST0 ST1
/// </code>
/// </remarks>
public static class Cjt188Read
{
    public const int ReplyDataLength = 22;

    public static Cjt188Frame Request(byte meterType, string address, byte serial, Cjt188Options options)
    {
        var data = new byte[3];
        Cjt188Options.WriteDataId(options.ReadDiOrder, Cjt188DataIds.CurrentData, data); // 00-01  DI
        data[2] = serial;                                                        // 02     SER
        return new Cjt188Frame(meterType, address, Cjt188Functions.ReadData, data);
    }

    /// <summary>Read address with wildcard T and address (DI 810A): finds the only meter on a
    /// point-to-point link.</summary>
    public static Cjt188Frame AddressRequest(byte serial, Cjt188Options options)
    {
        var data = new byte[3];
        Cjt188Options.WriteDataId(options.AddressDiOrder, Cjt188DataIds.ReadAddress, data);
        data[2] = serial;
        return new Cjt188Frame(Cjt188MeterTypes.Any, Cjt188Frame.WildcardAddress, Cjt188Functions.ReadAddress, data);
    }

    public static Cjt188Reply<Cjt188Reading> ParseReply(Cjt188Frame reply, Cjt188Options options)
    {
        if (!reply.IsReply || reply.Function != Cjt188Functions.ReadData)
        {
            return Cjt188Reply<Cjt188Reading>.Unexpected($"control 0x{reply.Control:X2} is not a read reply");
        }
        if (reply.IsErrorReply)
        {
            return Cjt188Reply<Cjt188Reading>.FromError(reply, options);
        }
        var d = reply.Data;
        if (d.Length != ReplyDataLength || Cjt188Options.ReadDataId(options.ReadDiOrder, d) != Cjt188DataIds.CurrentData)
        {
            return Cjt188Reply<Cjt188Reading>.Unexpected("not a 22-byte 901F reply");
        }
        if (!Bcd.TryReadLittleEndian(d.AsSpan(3, 4), out var current)
            || !Bcd.TryReadLittleEndian(d.AsSpan(8, 4), out var settlement))
        {
            return Cjt188Reply<Cjt188Reading>.Unexpected("flow is not BCD");
        }
        var reading = new Cjt188Reading(
            d[2], (long)current, d[7], (long)settlement, d[12], TryReadTime(d.AsSpan(13, 7)),
            Cjt188Status.Decode(d[20], d[21], options), options.FlowDecimals);
        return Cjt188Reply<Cjt188Reading>.Ok(reading);
    }

    /// <summary>Meter side, for scripted test peers (the simulator has its own frame code).</summary>
    public static Cjt188Frame Reply(
        byte meterType, string address, byte serial, long currentFlowScaled, long settlementFlowScaled,
        DateTime meterTime, byte st0, byte st1, Cjt188Options options)
    {
        var d = new byte[ReplyDataLength];
        Cjt188Options.WriteDataId(options.ReadDiOrder, Cjt188DataIds.CurrentData, d); // 00-01  DI
        d[2] = serial;                                                           // 02     SER
        Bcd.WriteLittleEndian((ulong)(currentFlowScaled % 100_000_000), d.AsSpan(3, 4)); // 03-06 flow (rolls over)
        d[7] = Cjt188Units.CubicMetre;                                           // 07     unit
        Bcd.WriteLittleEndian((ulong)(settlementFlowScaled % 100_000_000), d.AsSpan(8, 4)); // 08-11
        d[12] = Cjt188Units.CubicMetre;                                          // 12     unit
        d[13] = Bcd.FromInt(meterTime.Second);                                   // 13     ss
        d[14] = Bcd.FromInt(meterTime.Minute);                                   // 14     mm
        d[15] = Bcd.FromInt(meterTime.Hour);                                     // 15     hh
        d[16] = Bcd.FromInt(meterTime.Day);                                      // 16     DD
        d[17] = Bcd.FromInt(meterTime.Month);                                    // 17     MM
        d[18] = Bcd.FromInt(meterTime.Year % 100);                               // 18     YY_L
        d[19] = Bcd.FromInt(meterTime.Year / 100);                               // 19     YY_H
        d[20] = st0;                                                             // 20     ST0
        d[21] = st1;                                                             // 21     ST1
        return new Cjt188Frame(meterType, address, Cjt188Functions.ReadData | Cjt188Functions.ReplyFlag, d);
    }

    private static DateTime? TryReadTime(ReadOnlySpan<byte> t)
    {
        Span<int> v = stackalloc int[7];
        for (var i = 0; i < 7; i++)
        {
            if (!Bcd.TryToInt(t[i], out v[i]))
            {
                return null;
            }
        }
        int second = v[0], minute = v[1], hour = v[2], day = v[3], month = v[4], year = v[6] * 100 + v[5];
        if (year < 1 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59
            || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }
        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }
}
