using Prepaid.Devices.Codec;
using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Modbus;

/// <summary>Finds RTU replies in a byte stream (serial line or transparent DTU) by predicted length
/// and CRC. A reply answers the request when unit and function (less the exception bit) agree.</summary>
public sealed class ModbusRtuFormat : IFrameFormat
{
    public static ModbusRtuFormat Instance { get; } = new();

    public bool DiscardInputBeforeRequest => true;

    // Length and CRC must agree, so a rescan re-locks on a real frame.
    public bool InvalidFrameLosesSync => false;

    public DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => ModbusRtu.Scan(buffer, ModbusDirection.Response, out consumed);

    public bool IsReplyTo(ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply) =>
        request.Length >= 2 && reply.Length >= 2 && request[0] == reply[0]
        && request[1] == (reply[1] & ~ModbusFunctions.ExceptionFlag);
}

/// <summary>Finds MBAP replies; a reply answers the request with the same transaction id. Replies
/// carrying any other id (late answers to requests that already timed out) are discarded.</summary>
public sealed class ModbusTcpFormat : IFrameFormat
{
    public static ModbusTcpFormat Instance { get; } = new();

    // TCP keeps frames aligned and the TID pairs them, so leftovers need not be thrown away blind.
    public bool DiscardInputBeforeRequest => false;

    // MBAP has no start byte and no checksum: after a bad header nothing in the stream can be trusted to be a boundary.
    public bool InvalidFrameLosesSync => true;

    public DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => ModbusTcp.Scan(buffer, out consumed);

    public bool IsReplyTo(ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply) =>
        request.Length >= ModbusTcp.HeaderLength && reply.Length >= ModbusTcp.HeaderLength
        && request[0] == reply[0] && request[1] == reply[1] && request[6] == reply[6];
}
