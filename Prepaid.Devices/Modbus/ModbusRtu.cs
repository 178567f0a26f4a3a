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
    public static DecodeResult<ModbusRtuFrame> Decode(ReadOnlySpan<byte> buffer, ModbusDirection direction) => Scan(buffer, direction, out var length, out var reason) switch
    {
        DecodeStatus.Ok => DecodeResult<ModbusRtuFrame>.Ok(new ModbusRtuFrame(buffer[0], buffer[1..(length - 2)].ToArray()), length),
        DecodeStatus.Invalid => DecodeResult<ModbusRtuFrame>.Invalid(reason!),
        _ => DecodeResult<ModbusRtuFrame>.NeedMore(),
    };

    /// <summary>What <see cref="Decode"/> finds, without building the frame: a transport scans every reply it reads.</summary>
    public static DecodeStatus Scan(ReadOnlySpan<byte> buffer, ModbusDirection direction, out int consumed) => Scan(buffer, direction, out consumed, out _);

    private static DecodeStatus Scan(ReadOnlySpan<byte> buffer, ModbusDirection direction, out int consumed, out string? reason)
    {
        consumed = 0;
        reason = null;
        var length = PredictFrameLength(buffer, direction);
        if (length < 0)
        {
            consumed = 1;
            reason = "function code cannot start a frame";
            return DecodeStatus.Invalid;
        }
        if (length == 0 || buffer.Length < length)
        {
            return DecodeStatus.NeedMore;
        }
        if (!Crc16Modbus.Matches(buffer[..length]))
        {
            consumed = 1;
            reason = "CRC mismatch";
            return DecodeStatus.Invalid;
        }
        consumed = length;
        return DecodeStatus.Ok;
    }
}
