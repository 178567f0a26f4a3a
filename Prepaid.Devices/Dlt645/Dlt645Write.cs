using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Dlt645;

/// <summary>A parameter as the meter stores it: 4 BCD bytes, least significant first, with a fixed number of
/// decimals per data item (tariff prices XXXX.XXXX, money limits XXXXXX.XX).</summary>
public readonly record struct Dlt645Parameter(uint DataId, long Scaled)
{
    public byte[] Bytes()
    {
        var bytes = new byte[4];
        Bcd.WriteLittleEndian((ulong)(Scaled % 100_000_000), bytes);
        return bytes;
    }

    public static bool TryRead(uint dataId, ReadOnlySpan<byte> value, out Dlt645Parameter parameter)
    {
        parameter = default;
        if (value.Length != 4 || !Bcd.TryReadLittleEndian(value, out var scaled)) return false;
        parameter = new Dlt645Parameter(dataId, (long)scaled);
        return true;
    }
}

/// <summary>Write data, C = 0x14: tariff prices and money limits pushed to a meter with local prepaid logic.</summary>
/// <remarks>
/// DATA (before +0x33):
/// <code>
/// 00-03  DI0..DI3
/// 04     PA password level
/// 05-07  P0..P2 password
/// 08-11  C0..C3 operator code
/// 12..   value
/// </code>
/// Replies: 0x94 with L = 0, or 0xD4 with one error byte (protocols-notes §2.3). A write is confirmed by reading the
/// item back with 0x11, never by the 0x94 alone.
/// </remarks>
public static class Dlt645Write
{
    public const byte Function = 0x14;

    /// <summary>Tariff 1..4 (sharp, peak, flat, valley) prices, XXXX.XXXX per kWh (PMC340 map, protocols-notes §2.5).</summary>
    public static uint TariffPrice(int period) => 0x0405_0100u + (uint)period;

    /// <summary>Alarm-1 and alarm-2 money limits, XXXXXX.XX (PMC340 map).</summary>
    public const uint Alarm1Limit = 0x0400_1001, Alarm2Limit = 0x0400_1002;

    public static Dlt645Frame Request(string address, Dlt645Parameter parameter, Dlt645Credentials credentials)
    {
        var value = parameter.Bytes();
        var data = new byte[12 + value.Length];
        Dlt645DataIds.Write(parameter.DataId, data);                             // 00-03  DI
        data[4] = credentials.PasswordLevel;                                     // 04     PA
        MeterAddress.Write(credentials.Password, data.AsSpan(5, 3));             // 05-07  P0..P2
        MeterAddress.Write(credentials.OperatorCode, data.AsSpan(8, 4));         // 08-11  C0..C3
        value.CopyTo(data.AsSpan(12));                                           // 12..   value
        return new Dlt645Frame(address, Function, data);
    }

    public static Dlt645Reply<bool> ParseReply(Dlt645Frame reply)
    {
        if (!reply.IsReply || reply.Function != Function)
            return Dlt645Reply<bool>.Unexpected($"control 0x{reply.Control:X2} is not a 0x14 reply");
        if (reply.IsErrorReply)
            return reply.Data.Length == 1 ? Dlt645Reply<bool>.Refused((Dlt645ErrorFlags)reply.Data[0]) : Dlt645Reply<bool>.Unexpected("error reply must carry one byte");
        return reply.Data.Length == 0 ? Dlt645Reply<bool>.Ok(true) : Dlt645Reply<bool>.Unexpected("normal 0x94 reply must be empty");
    }

    /// <summary>Meter side: the written parameter and the password, or null when the frame is not a 4-byte write.</summary>
    public static (Dlt645Parameter Parameter, string Password)? TryParseRequest(Dlt645Frame request)
    {
        if (request.IsReply || request.Function != Function || request.Data.Length != 16) return null;
        var dataId = Dlt645DataIds.Read(request.Data);
        return Dlt645Parameter.TryRead(dataId, request.Data.AsSpan(12, 4), out var p) ? (p, MeterAddress.Read(request.Data.AsSpan(5, 3))) : null;
    }

    public static Dlt645Frame Reply(string address) => new(address, Function | Dlt645Functions.ReplyFlag, []);

    public static Dlt645Frame ErrorReply(string address, Dlt645ErrorFlags error) =>
        new(address, Function | Dlt645Functions.ReplyFlag | Dlt645Functions.ErrorFlag, [(byte)error]);
}
