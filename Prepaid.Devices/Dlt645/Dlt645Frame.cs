namespace Prepaid.Devices.Dlt645;

/// <summary>One DL/T 645-2007 frame with its data already unscrambled (the 0x33 offset removed).</summary>
/// <param name="Address">12 printed digits, most significant first ("000000000161"); "AAAAAAAAAAAA"
/// is the wildcard, "999999999999" broadcast.</param>
/// <param name="Control">C: D7 reply, D6 abnormal reply, D5 follow-up frame, D4..D0 function.</param>
public sealed record Dlt645Frame(string Address, byte Control, byte[] Data)
{
    public const string WildcardAddress = "AAAAAAAAAAAA";
    public const string BroadcastAddress = "999999999999";

    public bool IsReply => (Control & 0x80) != 0;

    public bool IsErrorReply => (Control & 0x40) != 0;

    public bool HasFollowUp => (Control & 0x20) != 0;

    public byte Function => (byte)(Control & 0x1F);
}

/// <summary>Control codes (function bits D4..D0) used here; protocols-notes §2.3.</summary>
public static class Dlt645Functions
{
    public const byte ReadData = 0x11;
    public const byte ReadFollowUp = 0x12;
    public const byte ReadAddress = 0x13;
    public const byte RelayControl = 0x1C;

    public const byte ReplyFlag = 0x80;
    public const byte ErrorFlag = 0x40;
    public const byte FollowUpFlag = 0x20;
}
