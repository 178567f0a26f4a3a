using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Dlt645;

/// <summary>N1 of the 0x1C control block.</summary>
public enum Dlt645RelayAction : byte
{
    /// <summary>拉闸: open the relay, cut supply.</summary>
    Trip = 0x1A,

    /// <summary>合闸允许: allow closing; the user presses the button or inserts the card.</summary>
    CloseAllowed = 0x1B,

    /// <summary>直接合闸: close now.</summary>
    DirectClose = 0x1C,
    AlarmOn = 0x2A,
    AlarmOff = 0x2B,

    /// <summary>保电: keep power on; trip commands are refused while it holds.</summary>
    KeepPowerOn = 0x3A,
    KeepPowerOff = 0x3B,
}

/// <summary>Password level, password and operator code sent with every control command.</summary>
/// <param name="Password">6 printed hex digits; sent lowest byte first (P0 first).</param>
/// <param name="OperatorCode">8 printed hex digits; sent lowest byte first (C0 first).</param>
public sealed record Dlt645Credentials(byte PasswordLevel, string Password, string OperatorCode)
{
    /// <summary>Level 02, password 000000, operator 00000000: the plain-text default.</summary>
    public static Dlt645Credentials Default { get; } = new(0x02, "000000", "00000000");
}

/// <summary>A decoded 0x1C request (meter side).</summary>
public sealed record Dlt645RelayCommand(Dlt645RelayAction Action, Dlt645Credentials Credentials, DateTime? ValidUntil);

/// <summary>Remote control, C = 0x1C: relay trip/close, alarm, keep-power.</summary>
/// <remarks>
/// DATA (before +0x33):
/// <code>
/// 00     PA password level
/// 01-03  P0..P2 password
/// 04-07  C0..C3 operator code
/// 08     N1 action
/// 09     N2 reserved, 00
/// 10-15  N3..N8 valid-until ss mm hh DD MM YY (BCD); the meter ignores an expired command, so a
///        command delayed in a queue or a DTU cannot act long after the operator asked for it
/// </code>
/// Replies: 0x9C with L = 0, or 0xDC with one error byte.
/// </remarks>
public static class Dlt645Relay
{
    private const int DataLength = 16;

    public static Dlt645Frame Request(
        string address, Dlt645RelayAction action, DateTime validUntilMeterTime, Dlt645Credentials credentials)
    {
        if (validUntilMeterTime.Year is < 2000 or > 2099)
        {
            throw new ArgumentOutOfRangeException(nameof(validUntilMeterTime), "YY holds 2000..2099 only.");
        }
        var data = new byte[DataLength];
        data[0] = credentials.PasswordLevel;                                     // 00     PA
        MeterAddress.Write(credentials.Password, data.AsSpan(1, 3));             // 01-03  P0..P2
        MeterAddress.Write(credentials.OperatorCode, data.AsSpan(4, 4));         // 04-07  C0..C3
        data[8] = (byte)action;                                                  // 08     N1
        data[9] = 0x00;                                                          // 09     N2
        var t = validUntilMeterTime;
        data[10] = Bcd.FromInt(t.Second);                                        // 10     ss
        data[11] = Bcd.FromInt(t.Minute);                                        // 11     mm
        data[12] = Bcd.FromInt(t.Hour);                                          // 12     hh
        data[13] = Bcd.FromInt(t.Day);                                           // 13     DD
        data[14] = Bcd.FromInt(t.Month);                                         // 14     MM
        data[15] = Bcd.FromInt(t.Year % 100);                                    // 15     YY
        return new Dlt645Frame(address, Dlt645Functions.RelayControl, data);
    }

    public static Dlt645Reply<bool> ParseReply(Dlt645Frame reply)
    {
        if (!reply.IsReply || reply.Function != Dlt645Functions.RelayControl)
        {
            return Dlt645Reply<bool>.Unexpected($"control 0x{reply.Control:X2} is not a 0x1C reply");
        }
        if (reply.IsErrorReply)
        {
            return reply.Data.Length == 1
                ? Dlt645Reply<bool>.Refused((Dlt645ErrorFlags)reply.Data[0])
                : Dlt645Reply<bool>.Unexpected("error reply must carry exactly one byte");
        }
        return reply.Data.Length == 0
            ? Dlt645Reply<bool>.Ok(true)
            : Dlt645Reply<bool>.Unexpected("normal 0x9C reply must be empty");
    }

    /// <summary>Meter side: decodes a 0x1C request. ValidUntil is null when the time bytes are not a
    /// real date, which a meter must treat as expired. Never throws.</summary>
    public static Dlt645RelayCommand? TryParseRequest(Dlt645Frame request)
    {
        if (request.IsReply || request.Function != Dlt645Functions.RelayControl || request.Data.Length != DataLength)
        {
            return null;
        }
        var d = request.Data;
        var credentials = new Dlt645Credentials(
            d[0], MeterAddress.Read(d.AsSpan(1, 3)), MeterAddress.Read(d.AsSpan(4, 4)));
        return new Dlt645RelayCommand((Dlt645RelayAction)d[8], credentials, TryReadTime(d.AsSpan(10, 6)));
    }

    public static Dlt645Frame Reply(string address) =>
        new(address, Dlt645Functions.RelayControl | Dlt645Functions.ReplyFlag, []);

    public static Dlt645Frame ErrorReply(string address, Dlt645ErrorFlags error) =>
        new(address, Dlt645Functions.RelayControl | Dlt645Functions.ReplyFlag | Dlt645Functions.ErrorFlag, [(byte)error]);

    private static DateTime? TryReadTime(ReadOnlySpan<byte> t)
    {
        Span<int> v = stackalloc int[6];
        for (var i = 0; i < 6; i++)
        {
            if (!Bcd.TryToInt(t[i], out v[i]))
            {
                return null;
            }
        }
        int second = v[0], minute = v[1], hour = v[2], day = v[3], month = v[4], year = 2000 + v[5];
        if (month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59
            || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }
        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
    }
}
