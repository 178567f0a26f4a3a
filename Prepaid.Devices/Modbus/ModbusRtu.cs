using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Modbus;

/// <summary>An RTU frame without its CRC: the unit (slave) address and the PDU.</summary>
public sealed record ModbusRtuFrame(byte Unit, byte[] Pdu);

/// <summary>RTU ADU codec.</summary>
/// <remarks>
/// <code>
/// 00     unit address (1..247, 0 = broadcast)
/// 01..n  PDU (1..253 bytes)
/// n+1    CRC low byte   (CRC-16/MODBUS, low byte first, unlike every other field)
/// n+2    CRC high byte
/// </code>
/// </remarks>
public static class ModbusRtu
{
    public static byte[] Encode(byte unit, ReadOnlySpan<byte> pdu)
    {
        var frame = new byte[pdu.Length + 3];
        frame[0] = unit;                                                   // 00     unit
        pdu.CopyTo(frame.AsSpan(1));                                       // 01..n  PDU
        Crc16Modbus.Append(frame.AsSpan(0, pdu.Length + 1), frame.AsSpan(pdu.Length + 1)); // CRC lo, hi
        return frame;
    }

    /// <summary>Predicts the whole frame length (unit + PDU + CRC) from the bytes received so far:
    /// positive when known, 0 when more bytes are needed, -1 when the buffer cannot start a frame.</summary>
    public static int PredictFrameLength(ReadOnlySpan<byte> buffer, ModbusDirection direction)
    {
        if (buffer.Length < 2)
        {
            return 0;
        }
        var pduLength = ModbusPdu.PredictLength(buffer[1..], direction);
        if (pduLength <= 0)
        {
            return pduLength;
        }
        return pduLength > ModbusLimits.MaxPduLength ? -1 : pduLength + 3;
    }

    /// <summary>Finds one CRC-checked frame at the start of <paramref name="buffer"/>. Never throws.
    /// On <see cref="DecodeStatus.Invalid"/> drop one byte and call again: that walks past noise on
    /// the bus and re-locks on the next frame whose length and CRC agree.</summary>
    public static DecodeResult<ModbusRtuFrame> Decode(ReadOnlySpan<byte> buffer, ModbusDirection direction)
    {
        var length = PredictFrameLength(buffer, direction);
        if (length < 0)
        {
            return DecodeResult<ModbusRtuFrame>.Invalid("function code cannot start a frame");
        }
        if (length == 0 || buffer.Length < length)
        {
            return DecodeResult<ModbusRtuFrame>.NeedMore();
        }
        var frame = buffer[..length];
        if (!Crc16Modbus.Matches(frame))
        {
            return DecodeResult<ModbusRtuFrame>.Invalid("CRC mismatch");
        }
        return DecodeResult<ModbusRtuFrame>.Ok(new ModbusRtuFrame(frame[0], frame[1..^2].ToArray()), length);
    }
}
