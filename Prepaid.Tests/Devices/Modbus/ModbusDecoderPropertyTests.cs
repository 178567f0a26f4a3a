using CsCheck;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Modbus;

[Collection(CpuHeavyCollection.Name)]
public class ModbusDecoderPropertyTests
{
    private static readonly Gen<byte[]> ValidResponsePdu =
        from kind in Gen.Int[0, 4]
        from registers in Gen.UShort.Array[1, 125]
        from bits in Gen.Bool.Array[1, 2000]
        from address in Gen.UShort
        from code in Gen.Byte[1, 11]
        select ModbusPdu.EncodeResponse(kind switch
        {
            0 => ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, registers),
            1 => ModbusResponse.ReadBits(ModbusFunction.ReadCoils, bits),
            2 => ModbusResponse.WriteAck(ModbusFunction.WriteSingleRegister, address, registers[0]),
            3 => ModbusResponse.WriteAck(ModbusFunction.WriteMultipleRegisters, address, (ushort)registers.Length),
            _ => ModbusResponse.Failure(ModbusFunction.ReadInputRegisters, (ModbusExceptionCode)code),
        });

    private static readonly Gen<byte[]> ValidRtu =
        from unit in Gen.Byte[1, 247]
        from pdu in ValidResponsePdu
        select ModbusRtu.Encode(unit, pdu);

    private static readonly Gen<byte[]> ValidTcp =
        from tid in Gen.UShort
        from unit in Gen.Byte
        from pdu in ValidResponsePdu
        select ModbusTcp.Encode(tid, unit, pdu);

    [Fact]
    public void RtuDecode_MalformedInput_NeverThrowsAndNeverAcceptsBadCrc()
    {
        // The byte count at offset 2 is the length field of a read response.
        Malformed.Inputs(ValidRtu, checksumOffsetFromEnd: 1, lengthOffset: 2).Sample(input =>
        {
            var (kind, bytes) = input;
            var first = ModbusRtu.Decode(bytes, ModbusDirection.Response);
            if (kind == Malformed.Kind.FlippedChecksum)
            {
                Assert.NotEqual(DecodeStatus.Ok, first.Status);
            }
            Malformed.DecodeAll<ModbusRtuFrame>(bytes, b => ModbusRtu.Decode(b, ModbusDirection.Response), (frame, raw) =>
            {
                Assert.True(Malformed.CrcMatches(raw), Hex.Format(raw));
                // What the RTU layer accepts must also be safe to hand to the PDU decoder.
                ModbusPdu.DecodeResponse(frame.Pdu);
            });
            Malformed.DecodeAll<ModbusRtuFrame>(bytes, b => ModbusRtu.Decode(b, ModbusDirection.Request), (_, raw) =>
                Assert.True(Malformed.CrcMatches(raw), Hex.Format(raw)));
        }, iter: Malformed.Iterations);
    }

    [Fact]
    public void TcpDecode_MalformedInput_NeverThrowsAndOnlyAcceptsConsistentHeaders()
    {
        // MBAP has no checksum; the guard is protocol id 0 and a length that matches the bytes.
        Malformed.Inputs(ValidTcp, checksumOffsetFromEnd: 1, lengthOffset: 5).Sample(input =>
        {
            var (kind, bytes) = input;
            var first = ModbusTcp.Decode(bytes);
            if (kind == Malformed.Kind.WrongLength && first.Status == DecodeStatus.Ok)
            {
                Assert.Equal(bytes[5] + 6, first.Consumed);
            }
            Malformed.DecodeAll<ModbusTcpFrame>(bytes, b => ModbusTcp.Decode(b), (frame, raw) =>
            {
                Assert.Equal(0, raw[2] | raw[3]);
                Assert.Equal((raw[4] << 8 | raw[5]) + 6, raw.Length);
                ModbusPdu.DecodeResponse(frame.Pdu);
                ModbusPdu.DecodeRequest(frame.Pdu);
            });
        }, iter: Malformed.Iterations);
    }

    [Fact]
    public void PduDecode_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 260].Sample(bytes =>
        {
            var response = ModbusPdu.DecodeResponse(bytes);
            if (response.Status == DecodeStatus.Ok)
            {
                Assert.Equal(bytes, ModbusPdu.EncodeResponse(response.Frame!));
            }
            var request = ModbusPdu.DecodeRequest(bytes);
            if (request.Request is { } r)
            {
                Assert.Equal(bytes, ModbusPdu.EncodeRequest(r));
            }
            ModbusPdu.PredictLength(bytes, ModbusDirection.Request);
            ModbusPdu.PredictLength(bytes, ModbusDirection.Response);
        }, iter: Malformed.Iterations);
    }
}
