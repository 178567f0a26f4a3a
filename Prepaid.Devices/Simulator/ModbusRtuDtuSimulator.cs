using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Simulator;

/// <summary>A transparent DTU: raw RTU frames in TCP, straight onto the bus. Frames with a bad CRC
/// and requests to absent units get silence, as on a real RS-485 line; the client times out.</summary>
public sealed class ModbusRtuDtuSimulator(ModbusBus bus) : LoopbackServer
{
    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => ModbusRtu.Scan(buffer, ModbusDirection.Request, out consumed);

    protected override byte[]? Respond(byte[] request)
    {
        var frame = ModbusRtu.Decode(request, ModbusDirection.Request).Frame!;
        var reply = bus.Handle(frame.Unit, frame.Pdu);
        return reply is null ? null : ModbusRtu.Encode(frame.Unit, reply);
    }
}
