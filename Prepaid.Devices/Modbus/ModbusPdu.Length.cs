namespace Prepaid.Devices.Modbus;

/// <summary>Which side of the exchange a frame comes from; request and response PDUs of the same
/// function have different lengths, so a length predictor must be told.</summary>
public enum ModbusDirection
{
    Request,
    Response,
}

/// <summary>PDU length prediction from its first bytes. RTU has no length field, and a desktop OS
/// cannot time the 1.75 ms t3.5 gap, so frames are delimited by reading the PDU header instead
/// (the approach of the Go "modbus" package and mbstack noted in protocols-notes §1.5).</summary>
public static partial class ModbusPdu
{
    /// <summary>Length of the PDU starting at <paramref name="prefix"/>[0]: positive when known,
    /// 0 when more bytes are needed, -1 when the function code cannot start a frame.</summary>
    public static int PredictLength(ReadOnlySpan<byte> prefix, ModbusDirection direction)
    {
        if (prefix.Length == 0)
        {
            return 0;
        }
        var code = prefix[0];
        if (direction == ModbusDirection.Response && (code & ModbusFunctions.ExceptionFlag) != 0)
        {
            return ModbusFunctions.IsSupported((byte)(code & ~ModbusFunctions.ExceptionFlag)) ? 2 : -1;
        }
        if (!ModbusFunctions.IsSupported(code))
        {
            return -1;
        }
        var function = (ModbusFunction)code;
        if (direction == ModbusDirection.Request)
        {
            return function switch
            {
                ModbusFunction.WriteMultipleCoils or ModbusFunction.WriteMultipleRegisters =>
                    prefix.Length < 6 ? 0 : 6 + prefix[5],
                _ => 5,
            };
        }
        if (ModbusFunctions.IsBitRead(function) || ModbusFunctions.IsRegisterRead(function))
        {
            return prefix.Length < 2 ? 0 : 2 + prefix[1];
        }
        return 5;
    }
}
