using System.Buffers.Binary;
using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Modbus;

/// <summary>Result of decoding a request on the server side: either a request, or the exception
/// code a conforming server answers with (libmodbus is the reference for which code).</summary>
public readonly record struct ModbusRequestDecode(ModbusRequest? Request, ModbusExceptionCode Rejection, string? Reason);

public static partial class ModbusPdu
{
    /// <summary>Decodes a complete response PDU (framing already removed). Never throws.</summary>
    public static DecodeResult<ModbusResponse> DecodeResponse(ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length < 2)
        {
            return DecodeResult<ModbusResponse>.Invalid("PDU shorter than 2 bytes", pdu.Length);
        }
        var code = pdu[0];
        var isException = (code & ModbusFunctions.ExceptionFlag) != 0;
        var functionCode = (byte)(code & ~ModbusFunctions.ExceptionFlag);
        if (!ModbusFunctions.IsSupported(functionCode))
        {
            return DecodeResult<ModbusResponse>.Invalid($"unsupported function 0x{functionCode:X2}", pdu.Length);
        }
        var function = (ModbusFunction)functionCode;
        if (isException)
        {
            return pdu.Length == 2
                ? DecodeResult<ModbusResponse>.Ok(ModbusResponse.Failure(function, (ModbusExceptionCode)pdu[1]), 2)
                : DecodeResult<ModbusResponse>.Invalid("exception PDU must be 2 bytes", pdu.Length);
        }
        if (ModbusFunctions.IsBitRead(function) || ModbusFunctions.IsRegisterRead(function))
        {
            var byteCount = pdu[1];
            if (pdu.Length != 2 + byteCount)
            {
                return DecodeResult<ModbusResponse>.Invalid("byte count disagrees with PDU length", pdu.Length);
            }
            if (ModbusFunctions.IsBitRead(function))
            {
                // 2000 bits = 250 bytes is the most a read may return.
                return byteCount is >= 1 and <= (ModbusLimits.MaxReadBits + 7) / 8
                    ? DecodeResult<ModbusResponse>.Ok(
                        new ModbusResponse(function, null, 0, 0, [], pdu[2..].ToArray()), pdu.Length)
                    : DecodeResult<ModbusResponse>.Invalid("bit byte count out of range", pdu.Length);
            }
            if (byteCount == 0 || byteCount % 2 != 0 || byteCount > 2 * ModbusLimits.MaxReadRegisters)
            {
                return DecodeResult<ModbusResponse>.Invalid("register byte count out of range", pdu.Length);
            }
            return DecodeResult<ModbusResponse>.Ok(
                ModbusResponse.ReadRegisters(function, ReadRegisters(pdu[2..])), pdu.Length);
        }
        if (pdu.Length != 5)
        {
            return DecodeResult<ModbusResponse>.Invalid("write acknowledgement must be 5 bytes", pdu.Length);
        }
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        var valid = function switch
        {
            ModbusFunction.WriteSingleCoil => word is ModbusRequest.CoilOn or ModbusRequest.CoilOff,
            ModbusFunction.WriteMultipleCoils => word is >= 1 and <= ModbusLimits.MaxWriteBits,
            ModbusFunction.WriteMultipleRegisters => word is >= 1 and <= ModbusLimits.MaxWriteRegisters,
            _ => true,
        };
        return valid
            ? DecodeResult<ModbusResponse>.Ok(ModbusResponse.WriteAck(function, address, word), 5)
            : DecodeResult<ModbusResponse>.Invalid("echoed value or quantity out of range", 5);
    }

    /// <summary>Decodes a complete request PDU for a server. Never throws.</summary>
    public static ModbusRequestDecode DecodeRequest(ReadOnlySpan<byte> pdu)
    {
        if (pdu.Length == 0 || !ModbusFunctions.IsSupported(pdu[0]))
        {
            return Reject(ModbusExceptionCode.IllegalFunction, "unsupported function");
        }
        var function = (ModbusFunction)pdu[0];
        if (pdu.Length < 5)
        {
            return Reject(ModbusExceptionCode.IllegalDataValue, "request too short");
        }
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        switch (function)
        {
            case ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs:
                return ReadRequest(pdu, function, address, word, ModbusLimits.MaxReadBits);
            case ModbusFunction.ReadHoldingRegisters or ModbusFunction.ReadInputRegisters:
                return ReadRequest(pdu, function, address, word, ModbusLimits.MaxReadRegisters);
            case ModbusFunction.WriteSingleCoil:
                if (pdu.Length != 5 || word is not (ModbusRequest.CoilOn or ModbusRequest.CoilOff))
                {
                    return Reject(ModbusExceptionCode.IllegalDataValue, "coil value must be FF00 or 0000");
                }
                return new(ModbusRequest.WriteSingleCoil(address, word == ModbusRequest.CoilOn), default, null);
            case ModbusFunction.WriteSingleRegister:
                return pdu.Length == 5
                    ? new(ModbusRequest.WriteSingleRegister(address, word), default, null)
                    : Reject(ModbusExceptionCode.IllegalDataValue, "FC06 must be 5 bytes");
            case ModbusFunction.WriteMultipleCoils:
            {
                if (pdu.Length < 6 || word is < 1 or > ModbusLimits.MaxWriteBits
                    || pdu[5] != (word + 7) / 8 || pdu.Length != 6 + pdu[5])
                {
                    return Reject(ModbusExceptionCode.IllegalDataValue, "bad coil quantity or byte count");
                }
                if (address + word > 0x10000)
                {
                    return Reject(ModbusExceptionCode.IllegalDataAddress, "range past 0xFFFF");
                }
                var bits = new ModbusResponse(function, null, 0, 0, [], pdu[6..].ToArray()).Bits(word);
                return new(ModbusRequest.WriteMultipleCoils(address, bits), default, null);
            }
            default:
            {
                if (pdu.Length < 6 || word is < 1 or > ModbusLimits.MaxWriteRegisters
                    || pdu[5] != 2 * word || pdu.Length != 6 + pdu[5])
                {
                    return Reject(ModbusExceptionCode.IllegalDataValue, "bad register quantity or byte count");
                }
                if (address + word > 0x10000)
                {
                    return Reject(ModbusExceptionCode.IllegalDataAddress, "range past 0xFFFF");
                }
                return new(ModbusRequest.WriteMultipleRegisters(address, ReadRegisters(pdu[6..])), default, null);
            }
        }
    }

    private static ModbusRequestDecode ReadRequest(
        ReadOnlySpan<byte> pdu, ModbusFunction function, ushort address, ushort quantity, int max)
    {
        if (pdu.Length != 5 || quantity < 1 || quantity > max)
        {
            return Reject(ModbusExceptionCode.IllegalDataValue, "quantity out of range");
        }
        if (address + quantity > 0x10000)
        {
            return Reject(ModbusExceptionCode.IllegalDataAddress, "range past 0xFFFF");
        }
        return new(new ModbusRequest(function, address, quantity, 0, [], []), default, null);
    }

    private static ModbusRequestDecode Reject(ModbusExceptionCode code, string reason) => new(null, code, reason);

    private static ushort[] ReadRegisters(ReadOnlySpan<byte> data)
    {
        var registers = new ushort[data.Length / 2];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
        return registers;
    }
}
