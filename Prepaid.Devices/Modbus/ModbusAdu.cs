using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Modbus;

/// <summary>Wraps a PDU for one kind of link and unwraps the reply: RTU (unit + CRC) or TCP (MBAP).</summary>
public interface IModbusAdu
{
    byte[] Wrap(byte unit, byte[] pdu);

    /// <summary>The reply PDU, or null when the frame is not a valid ADU of this kind.</summary>
    byte[]? Unwrap(byte[] frame);
}

public sealed class ModbusRtuAdu : IModbusAdu
{
    public byte[] Wrap(byte unit, byte[] pdu) => ModbusRtu.Encode(unit, pdu);

    public byte[]? Unwrap(byte[] frame)
    {
        var result = ModbusRtu.Decode(frame, ModbusDirection.Response);
        return result.Status == DecodeStatus.Ok ? result.Frame!.Pdu : null;
    }
}

/// <summary>MBAP with a rolling transaction id, so each request's reply can be told from a late
/// reply to an earlier one.</summary>
public sealed class ModbusTcpAdu : IModbusAdu
{
    private int _transactionId;

    public byte[] Wrap(byte unit, byte[] pdu) =>
        ModbusTcp.Encode((ushort)Interlocked.Increment(ref _transactionId), unit, pdu);

    public byte[]? Unwrap(byte[] frame)
    {
        var result = ModbusTcp.Decode(frame);
        return result.Status == DecodeStatus.Ok ? result.Frame!.Pdu : null;
    }
}
