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
    public static DecodeResult<ModbusTcpFrame> Decode(ReadOnlySpan<byte> buffer) => Scan(buffer, out var total, out var reason) switch
    {
        DecodeStatus.Ok => DecodeResult<ModbusTcpFrame>.Ok(
            new ModbusTcpFrame(BinaryPrimitives.ReadUInt16BigEndian(buffer), buffer[6], buffer[HeaderLength..total].ToArray()), total),
        DecodeStatus.Invalid => DecodeResult<ModbusTcpFrame>.Invalid(reason!),
        _ => DecodeResult<ModbusTcpFrame>.NeedMore(),
    };

    /// <summary>What <see cref="Decode"/> finds, without building the frame: a transport scans every reply it reads.</summary>
    public static DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => Scan(buffer, out consumed, out _);

    private static DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed, out string? reason)
    {
        consumed = 0;
        reason = null;
        if (buffer.Length < HeaderLength)
        {
            return DecodeStatus.NeedMore;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]) != 0)
        {
            consumed = 1;
            reason = "protocol id is not 0";
            return DecodeStatus.Invalid;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[4..]);
        // Unit id + at least the function code, and no more than the 253-byte PDU limit.
        if (length < 2 || length > ModbusLimits.MaxPduLength + 1)
        {
            consumed = 1;
            reason = "MBAP length out of range";
            return DecodeStatus.Invalid;
        }
        var total = 6 + length;
        if (buffer.Length < total)
        {
            return DecodeStatus.NeedMore;
        }
        consumed = total;
        return DecodeStatus.Ok;
    }
}
