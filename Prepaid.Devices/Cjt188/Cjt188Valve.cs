namespace Prepaid.Devices.Cjt188;

public enum Cjt188ValveCommand : byte
{
    Open = 0x55,
    Close = 0x99,
}

/// <summary>Valve control: DI A017, one byte 0x55 open / 0x99 close, with control code 0x04 (write data) or the 0x2A
/// some firmwares use (<see cref="Cjt188Options.ValveControlCode"/>).</summary>
/// <remarks>
/// <code>
/// request DATA  00-01 DI | 02 SER | 03 command            (C = 0x04 or 0x2A)
/// reply DATA    00-01 DI | 02 SER | 03 ST0 | 04 ST1       (C = 0x84 / 0xAA; error C = 0xC4 / 0xEA)
/// </code>
/// The reply's ST says where the valve is now; a motorised valve may still be moving, so the
/// dispatcher confirms with a later 901F read rather than trusting this echo alone.
/// </remarks>
public static class Cjt188Valve
{
    public static Cjt188Frame Request(
        byte meterType, string address, byte serial, Cjt188ValveCommand command, Cjt188Options options)
    {
        var data = new byte[4];
        Cjt188Options.WriteDataId(options.ValveDiOrder, Cjt188DataIds.ValveControl, data); // 00-01 DI
        data[2] = serial;                                                        // 02     SER
        data[3] = (byte)command;                                                 // 03     0x55 / 0x99
        return new Cjt188Frame(meterType, address, options.ValveControlCode, data);
    }

    public static Cjt188Reply<Cjt188Status> ParseReply(Cjt188Frame reply, Cjt188Options options)
    {
        if (!reply.IsReply || reply.Function != Function(options))
        {
            return Cjt188Reply<Cjt188Status>.Unexpected($"control 0x{reply.Control:X2} is not a write reply");
        }
        if (reply.IsErrorReply)
        {
            return Cjt188Reply<Cjt188Status>.FromError(reply, options);
        }
        var d = reply.Data;
        if (d.Length != 5 || Cjt188Options.ReadDataId(options.ValveDiOrder, d) != Cjt188DataIds.ValveControl)
        {
            return Cjt188Reply<Cjt188Status>.Unexpected("not a 5-byte A017 reply");
        }
        return Cjt188Reply<Cjt188Status>.Ok(Cjt188Status.Decode(d[3], d[4], options));
    }

    /// <summary>Meter side: the command byte of a valve request, or null if it is not one.</summary>
    public static Cjt188ValveCommand? TryParseRequest(Cjt188Frame request, Cjt188Options options)
    {
        if (request.IsReply || request.Function != Function(options) || request.Data.Length != 4
            || Cjt188Options.ReadDataId(options.ValveDiOrder, request.Data) != Cjt188DataIds.ValveControl)
        {
            return null;
        }
        return request.Data[3] switch
        {
            (byte)Cjt188ValveCommand.Open => Cjt188ValveCommand.Open,
            (byte)Cjt188ValveCommand.Close => Cjt188ValveCommand.Close,
            _ => null,
        };
    }

    public static Cjt188Frame Reply(
        byte meterType, string address, byte serial, byte st0, byte st1, Cjt188Options options)
    {
        var d = new byte[5];
        Cjt188Options.WriteDataId(options.ValveDiOrder, Cjt188DataIds.ValveControl, d); // 00-01 DI
        d[2] = serial;                                                           // 02     SER
        d[3] = st0;                                                              // 03     ST0
        d[4] = st1;                                                              // 04     ST1
        return new Cjt188Frame(meterType, address, (byte)(options.ValveControlCode | Cjt188Functions.ReplyFlag), d);
    }

    /// <summary>The function bits (D4..D0) of the valve command: 0x04, or 0x0A for the 0x2A firmwares.</summary>
    private static byte Function(Cjt188Options options) => (byte)(options.ValveControlCode & 0x1F);

    /// <summary>Error reply with SER + ST (the 3-byte form).</summary>
    public static Cjt188Frame ErrorReply(byte meterType, string address, byte function, byte serial, byte st0, byte st1) =>
        new(meterType, address, (byte)(function | Cjt188Functions.ReplyFlag | Cjt188Functions.ErrorFlag), [serial, st0, st1]);
}
