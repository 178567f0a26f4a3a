using System.Buffers.Binary;

namespace Prepaid.Devices.Modbus;

/// <summary>Pure PDU encoders and decoders. All 16-bit fields are big-endian.</summary>
/// <remarks>
/// Request layouts (byte offsets within the PDU):
/// <code>
/// 01/02/03/04  00 FC | 01-02 address | 03-04 quantity
/// 05/06        00 FC | 01-02 address | 03-04 value (FC05: FF00 on, 0000 off)
/// 0F/10        00 FC | 01-02 address | 03-04 quantity | 05 byte count | 06.. coils / registers
/// </code>
/// Response layouts:
/// <code>
/// 01/02/03/04  00 FC | 01 byte count | 02.. bits (LSB first) / registers
/// 05/06        echo of the request
/// 0F/10        00 FC | 01-02 address | 03-04 quantity
/// exception    00 FC|0x80 | 01 exception code
/// </code>
/// </remarks>
public static partial class ModbusPdu
{
    public static byte[] EncodeRequest(ModbusRequest request)
    {
        switch (request.Function)
        {
            case ModbusFunction.WriteMultipleCoils:
            {
                var packed = ModbusResponse.Pack(request.Coils);
                var pdu = new byte[6 + packed.Length];
                WriteHeader(pdu, request.Function, request.Address, request.Quantity); // 00-04
                pdu[5] = (byte)packed.Length;                                           // 05     byte count
                packed.CopyTo(pdu, 6);                                                  // 06..   coils
                return pdu;
            }
            case ModbusFunction.WriteMultipleRegisters:
            {
                var pdu = new byte[6 + 2 * request.Registers.Length];
                WriteHeader(pdu, request.Function, request.Address, request.Quantity); // 00-04
                pdu[5] = (byte)(2 * request.Registers.Length);                          // 05     byte count
                WriteRegisters(request.Registers, pdu.AsSpan(6));                       // 06..   registers
                return pdu;
            }
            case ModbusFunction.WriteSingleCoil:
            case ModbusFunction.WriteSingleRegister:
            {
                var pdu = new byte[5];
                WriteHeader(pdu, request.Function, request.Address, request.Value);    // 00-04
                return pdu;
            }
            default:
            {
                var pdu = new byte[5];
                WriteHeader(pdu, request.Function, request.Address, request.Quantity); // 00-04
                return pdu;
            }
        }
    }

    public static byte[] EncodeResponse(ModbusResponse response)
    {
        if (response.Exception is { } code)
        {
            return [(byte)((byte)response.Function | ModbusFunctions.ExceptionFlag), (byte)code];
        }
        if (ModbusFunctions.IsBitRead(response.Function))
        {
            var pdu = new byte[2 + response.BitBytes.Length];
            pdu[0] = (byte)response.Function;                                           // 00     FC
            pdu[1] = (byte)response.BitBytes.Length;                                    // 01     byte count
            response.BitBytes.CopyTo(pdu, 2);                                           // 02..   bits
            return pdu;
        }
        if (ModbusFunctions.IsRegisterRead(response.Function))
        {
            var pdu = new byte[2 + 2 * response.Registers.Length];
            pdu[0] = (byte)response.Function;                                           // 00     FC
            pdu[1] = (byte)(2 * response.Registers.Length);                             // 01     byte count
            WriteRegisters(response.Registers, pdu.AsSpan(2));                          // 02..   registers
            return pdu;
        }
        var ack = new byte[5];
        WriteHeader(ack, response.Function, response.Address, response.Value);         // 00-04
        return ack;
    }

    private static void WriteHeader(Span<byte> pdu, ModbusFunction function, ushort address, ushort word)
    {
        pdu[0] = (byte)function;                                                        // 00     FC
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);                       // 01-02  address
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], word);                          // 03-04  quantity / value
    }

    private static void WriteRegisters(ushort[] registers, Span<byte> destination)
    {
        for (var i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * i)..], registers[i]);
        }
    }
}
