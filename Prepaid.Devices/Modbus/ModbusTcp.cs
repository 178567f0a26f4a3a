using System.Buffers.Binary;
using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Modbus;

/// <summary>A Modbus TCP ADU without its header: transaction id, unit id and PDU.</summary>
public sealed record ModbusTcpFrame(ushort TransactionId, byte Unit, byte[] Pdu);

/// <summary>MBAP codec.</summary>
/// <remarks>
/// <code>
/// 00-01  transaction id (chosen by the client, echoed by the server)
/// 02-03  protocol id = 0x0000
/// 04-05  length = 1 + PDU length (counts the unit id and the PDU)
/// 06     unit id (gateways route by it; 0xFF or 0 addresses the TCP device itself)
/// 07..   PDU
/// </code>
/// There is no checksum: TCP's own guards integrity, so a decoder can only check lengths.
/// </remarks>
public static class ModbusTcp
{
    public const int HeaderLength = 7;

    public static byte[] Encode(ushort transactionId, byte unit, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[HeaderLength + pdu.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);               // 00-01  transaction id
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 0);                 // 02-03  protocol id
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(pdu.Length + 1)); // 04-05 length
        frame[6] = unit;                                                           // 06     unit id
        pdu.CopyTo(frame.AsSpan(HeaderLength));                                    // 07..   PDU
        return frame;
    }

    /// <summary>Finds one MBAP frame at the start of <paramref name="buffer"/>. Never throws.</summary>
    public static DecodeResult<ModbusTcpFrame> Decode(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < HeaderLength)
        {
            return DecodeResult<ModbusTcpFrame>.NeedMore();
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]) != 0)
        {
            return DecodeResult<ModbusTcpFrame>.Invalid("protocol id is not 0");
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[4..]);
        // Unit id + at least the function code, and no more than the 253-byte PDU limit.
        if (length < 2 || length > ModbusLimits.MaxPduLength + 1)
        {
            return DecodeResult<ModbusTcpFrame>.Invalid("MBAP length out of range");
        }
        var total = 6 + length;
        if (buffer.Length < total)
        {
            return DecodeResult<ModbusTcpFrame>.NeedMore();
        }
        var frame = new ModbusTcpFrame(
            BinaryPrimitives.ReadUInt16BigEndian(buffer),
            buffer[6],
            buffer[HeaderLength..total].ToArray());
        return DecodeResult<ModbusTcpFrame>.Ok(frame, total);
    }
}
