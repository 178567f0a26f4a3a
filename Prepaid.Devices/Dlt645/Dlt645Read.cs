namespace Prepaid.Devices.Dlt645;

/// <summary>A read answer: the echoed DI and the value bytes after it (still BCD, unscrambled).</summary>
public sealed record Dlt645ReadValue(uint DataId, byte[] Value, bool MoreFollows);

/// <summary>Read data, C = 0x11. Request DATA = DI0..DI3; normal reply 0x91 (0xB1 when more
/// frames follow) with DATA = DI + value; abnormal reply 0xD1 with one error byte.</summary>
public static class Dlt645Read
{
    public static Dlt645Frame Request(string address, uint dataId)
    {
        var data = new byte[4];
        Dlt645DataIds.Write(dataId, data);                                       // 00-03  DI0..DI3
        return new Dlt645Frame(address, Dlt645Functions.ReadData, data);
    }

    public static Dlt645Reply<Dlt645ReadValue> ParseReply(Dlt645Frame reply, uint expectedDataId)
    {
        if (!reply.IsReply || reply.Function != Dlt645Functions.ReadData)
        {
            return Dlt645Reply<Dlt645ReadValue>.Unexpected($"control 0x{reply.Control:X2} is not a read reply");
        }
        if (reply.IsErrorReply)
        {
            return reply.Data.Length == 1
                ? Dlt645Reply<Dlt645ReadValue>.Refused((Dlt645ErrorFlags)reply.Data[0])
                : Dlt645Reply<Dlt645ReadValue>.Unexpected("error reply must carry exactly one byte");
        }
        if (reply.Data.Length < 4)
        {
            return Dlt645Reply<Dlt645ReadValue>.Unexpected("reply shorter than its DI");
        }
        var dataId = Dlt645DataIds.Read(reply.Data);
        if (dataId != expectedDataId)
        {
            return Dlt645Reply<Dlt645ReadValue>.Unexpected($"reply DI {dataId:X8} is not {expectedDataId:X8}");
        }
        return Dlt645Reply<Dlt645ReadValue>.Ok(new Dlt645ReadValue(dataId, reply.Data[4..], reply.HasFollowUp));
    }

    /// <summary>The meter side, for scripted test peers: a normal reply carrying <paramref name="value"/>.</summary>
    public static Dlt645Frame Reply(string address, uint dataId, ReadOnlySpan<byte> value)
    {
        var data = new byte[4 + value.Length];
        Dlt645DataIds.Write(dataId, data);                                       // 00-03  DI echo
        value.CopyTo(data.AsSpan(4));                                            // 04..   value
        return new Dlt645Frame(address, Dlt645Functions.ReadData | Dlt645Functions.ReplyFlag, data);
    }

    public static Dlt645Frame ErrorReply(string address, Dlt645ErrorFlags error) =>
        new(address, Dlt645Functions.ReadData | Dlt645Functions.ReplyFlag | Dlt645Functions.ErrorFlag, [(byte)error]);
}
