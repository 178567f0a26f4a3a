namespace Prepaid.Devices.Modbus;

/// <summary>A response PDU, normal or exception.</summary>
/// <param name="BitBytes">FC01/02: the packed bits as sent (LSB of byte 0 = first item). The PDU
/// does not carry the requested count, so unpacking needs the request (<see cref="Bits"/>).</param>
/// <param name="Registers">FC03/04 values.</param>
/// <param name="Address">FC05/06/0F/10 echo.</param>
/// <param name="Value">FC05/06: echoed value; FC0F/10: echoed quantity.</param>
public sealed record ModbusResponse(
    ModbusFunction Function,
    ModbusExceptionCode? Exception,
    ushort Address,
    ushort Value,
    ushort[] Registers,
    byte[] BitBytes)
{
    public bool IsException => Exception is not null;

    public static ModbusResponse Failure(ModbusFunction function, ModbusExceptionCode code) =>
        new(function, code, 0, 0, [], []);

    public static ModbusResponse ReadRegisters(ModbusFunction function, ushort[] registers) =>
        new(function, null, 0, 0, registers, []);

    public static ModbusResponse ReadBits(ModbusFunction function, IReadOnlyList<bool> bits) =>
        new(function, null, 0, 0, [], Pack(bits));

    /// <summary>FC05/06 echo the address and value; FC0F/10 echo the address and quantity.</summary>
    public static ModbusResponse WriteAck(ModbusFunction function, ushort address, ushort valueOrQuantity) =>
        new(function, null, address, valueOrQuantity, [], []);

    public bool[] Bits(int count)
    {
        var bits = new bool[Math.Min(count, BitBytes.Length * 8)];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (BitBytes[i / 8] & (1 << (i % 8))) != 0;
        }
        return bits;
    }

    internal static byte[] Pack(IReadOnlyList<bool> bits)
    {
        var bytes = new byte[(bits.Count + 7) / 8];
        for (var i = 0; i < bits.Count; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(1 << (i % 8));
            }
        }
        return bytes;
    }
}
