namespace Prepaid.Devices.Cjt188;

/// <summary>One CJ/T 188-2004 frame.</summary>
/// <param name="MeterType">T: 0x10 cold water, 0x11 hot, 0x20 heat, 0x30 gas, 0xAA any.</param>
/// <param name="Address">14 printed digits, most significant first; all 'A' is the wildcard.</param>
/// <param name="Control">C: D7 reply, D6 abnormal, D5 follow-up, D4..D0 function.</param>
/// <param name="Data">The L bytes after L: DI (2), SER (1), then the function's data.</param>
public sealed record Cjt188Frame(byte MeterType, string Address, byte Control, byte[] Data)
{
    public const string WildcardAddress = "AAAAAAAAAAAAAA";

    public bool IsReply => (Control & 0x80) != 0;

    public bool IsErrorReply => (Control & 0x40) != 0;

    public byte Function => (byte)(Control & 0x1F);
}

public static class Cjt188MeterTypes
{
    public const byte ColdWater = 0x10;
    public const byte HotWater = 0x11;
    public const byte Heat = 0x20;
    public const byte Gas = 0x30;
    public const byte Any = 0xAA;
}

public static class Cjt188Functions
{
    public const byte ReadData = 0x01;
    public const byte ReadAddress = 0x03;
    public const byte WriteData = 0x04;
    public const byte ReplyFlag = 0x80;
    public const byte ErrorFlag = 0x40;
}

public static class Cjt188DataIds
{
    /// <summary>Current metering data (cumulative flow, settlement-day flow, time, status).</summary>
    public const ushort CurrentData = 0x901F;

    public const ushort ReadAddress = 0x810A;

    /// <summary>Valve control: one byte, 0x55 open, 0x99 close.</summary>
    public const ushort ValveControl = 0xA017;
}
