using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Modbus;

/// <summary>Wraps a PDU for one kind of link and unwraps the reply: RTU (unit + CRC) or TCP (MBAP).</summary>
public interface IModbusAdu
{
    byte[] Wrap(byte unit, byte[] pdu);

    /// <summary>The reply PDU inside <paramref name="frame"/> (not copied); false when the frame is not a valid ADU of this kind.</summary>
    bool TryUnwrap(byte[] frame, out ReadOnlyMemory<byte> pdu);
}

public sealed class ModbusRtuAdu : IModbusAdu
{
    public byte[] Wrap(byte unit, byte[] pdu) => ModbusRtu.Encode(unit, pdu);

    public bool TryUnwrap(byte[] frame, out ReadOnlyMemory<byte> pdu)
    {
        // Unit, PDU, CRC: the scan checks the length and the CRC.
        var ok = ModbusRtu.Scan(frame, ModbusDirection.Response, out var length) == DecodeStatus.Ok;
        pdu = ok ? frame.AsMemory(1, length - 3) : default;
        return ok;
    }
}

/// <summary>MBAP with a rolling transaction id, so each request's reply can be told from a late
/// reply to an earlier one.</summary>
public sealed class ModbusTcpAdu : IModbusAdu
{
    private int _transactionId;

    public byte[] Wrap(byte unit, byte[] pdu) =>
        ModbusTcp.Encode((ushort)Interlocked.Increment(ref _transactionId), unit, pdu);

    public bool TryUnwrap(byte[] frame, out ReadOnlyMemory<byte> pdu)
    {
        var ok = ModbusTcp.Scan(frame, out var length) == DecodeStatus.Ok;
        pdu = ok ? frame.AsMemory(ModbusTcp.HeaderLength, length - ModbusTcp.HeaderLength) : default;
        return ok;
    }
}
