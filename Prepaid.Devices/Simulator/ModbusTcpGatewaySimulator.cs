using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;

namespace Prepaid.Devices.Simulator;

/// <summary>A Modbus TCP → RTU gateway with a bus of meters behind it: routes by MBAP unit id and,
/// like a real gateway, answers exception 0B when the addressed meter stays silent.</summary>
public sealed class ModbusTcpGatewaySimulator(ModbusBus bus) : LoopbackServer
{
    protected override bool CloseOnInvalidFrame => true;

    /// <summary>Behind the gateway the bus carries RTU: the MBAP header (7 bytes) is replaced by the unit and the CRC (3).</summary>
    public override int BusBytes(int frameBytes) => frameBytes - ModbusTcp.HeaderLength + 3;

    protected override DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed) => ModbusTcp.Scan(buffer, out consumed);

    protected override byte[]? Respond(byte[] request)
    {
        var frame = ModbusTcp.Decode(request).Frame!;
        var reply = bus.Handle(frame.Unit, frame.Pdu);
        if (reply is null)
        {
            if (frame.Unit == 0 || frame.Pdu.Length == 0)
            {
                return null;
            }
            reply = [(byte)(frame.Pdu[0] | ModbusFunctions.ExceptionFlag), (byte)ModbusExceptionCode.GatewayTargetDeviceFailedToRespond];
        }
        return ModbusTcp.Encode(frame.TransactionId, frame.Unit, reply);
    }
}
