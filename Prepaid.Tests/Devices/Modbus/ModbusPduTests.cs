using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Xunit;

namespace Prepaid.Tests.Devices.Modbus;

public class ModbusPduTests
{
    // Request layouts: notes §1.3 (byte layouts RAN against peers in §6.4).
    [Fact]
    public void EncodeRequest_EachFunction_MatchesSpecLayout()
    {
        Assert.Equal(Hex.Parse("01 00 13 00 25"), ModbusPdu.EncodeRequest(ModbusRequest.ReadCoils(0x13, 0x25)));
        Assert.Equal(Hex.Parse("02 00 C4 00 16"), ModbusPdu.EncodeRequest(ModbusRequest.ReadDiscreteInputs(0xC4, 0x16)));
        Assert.Equal(Hex.Parse("03 00 00 00 02"), ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2)));
        Assert.Equal(Hex.Parse("04 00 08 00 01"), ModbusPdu.EncodeRequest(ModbusRequest.ReadInputRegisters(8, 1)));
        Assert.Equal(Hex.Parse("05 00 AC FF 00"), ModbusPdu.EncodeRequest(ModbusRequest.WriteSingleCoil(0xAC, true)));
        Assert.Equal(Hex.Parse("05 00 AC 00 00"), ModbusPdu.EncodeRequest(ModbusRequest.WriteSingleCoil(0xAC, false)));
        Assert.Equal(Hex.Parse("06 00 01 00 03"), ModbusPdu.EncodeRequest(ModbusRequest.WriteSingleRegister(1, 3)));
        // Modbus spec example: 10 coils from 0x13, CD 01.
        Assert.Equal(Hex.Parse("0F 00 13 00 0A 02 CD 01"), ModbusPdu.EncodeRequest(ModbusRequest.WriteMultipleCoils(
            0x13, [true, false, true, true, false, false, true, true, true, false])));
        // Acrel trip (notes §4, unverified register): HR 0x0057 ← 00 01 00 01 via FC10.
        Assert.Equal(Hex.Parse("10 00 57 00 02 04 00 01 00 01"),
            ModbusPdu.EncodeRequest(ModbusRequest.WriteMultipleRegisters(0x57, [1, 1])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(126)]
    public void ReadHoldingRegisters_QuantityOutsideOneTo125_Throws(int quantity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadHoldingRegisters(0, quantity));
    }

    [Fact]
    public void Factories_EnforceSpecLimits()
    {
        ModbusRequest.ReadCoils(0, 2000);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadCoils(0, 2001));
        ModbusRequest.WriteMultipleCoils(0, new bool[1968]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleCoils(0, new bool[1969]));
        ModbusRequest.WriteMultipleRegisters(0, new ushort[123]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.WriteMultipleRegisters(0, new ushort[124]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModbusRequest.ReadHoldingRegisters(0xFFFF, 2));
    }

    [Fact]
    public void DecodeResponse_RegisterRead_ReturnsValues()
    {
        var result = ModbusPdu.DecodeResponse(Hex.Parse("03 04 00 01 86 A0"));
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(new ushort[] { 1, 34464 }, result.Frame!.Registers);
        Assert.Equal(100_000u, ModbusWords.ToUInt32(1, 34464, WordOrder.HighFirst));
    }

    [Fact]
    public void DecodeResponse_CoilRead_UnpacksLsbFirst()
    {
        var result = ModbusPdu.DecodeResponse(Hex.Parse("01 02 CD 01"));
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(new[] { true, false, true, true, false, false, true, true, true, false }, result.Frame!.Bits(10));
    }

    [Theory]
    [InlineData(0x01, ModbusExceptionCode.IllegalFunction)]
    [InlineData(0x02, ModbusExceptionCode.IllegalDataAddress)]
    [InlineData(0x03, ModbusExceptionCode.IllegalDataValue)]
    [InlineData(0x04, ModbusExceptionCode.ServerDeviceFailure)]
    [InlineData(0x05, ModbusExceptionCode.Acknowledge)]
    [InlineData(0x06, ModbusExceptionCode.ServerDeviceBusy)]
    [InlineData(0x07, ModbusExceptionCode.NegativeAcknowledge)]
    [InlineData(0x08, ModbusExceptionCode.MemoryParityError)]
    [InlineData(0x0A, ModbusExceptionCode.GatewayPathUnavailable)]
    [InlineData(0x0B, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond)]
    public void DecodeResponse_Exception_MapsEveryCode(int code, ModbusExceptionCode expected)
    {
        var result = ModbusPdu.DecodeResponse([0x83, (byte)code]);
        Assert.Equal(DecodeStatus.Ok, result.Status);
        Assert.Equal(ModbusFunction.ReadHoldingRegisters, result.Frame!.Function);
        Assert.Equal(expected, result.Frame.Exception);
    }

    [Theory]
    [InlineData("03 05 00 01 86 A0", "odd byte count")]
    [InlineData("03 04 00 01 86", "truncated")]
    [InlineData("41 00", "unknown function")]
    [InlineData("05 00 01 12 34", "coil value not FF00/0000")]
    [InlineData("83 02 00", "long exception")]
    [InlineData("10 00 00 00 00", "zero quantity")]
    public void DecodeResponse_Malformed_IsInvalid(string hex, string why)
    {
        Assert.True(ModbusPdu.DecodeResponse(Hex.Parse(hex)).Status == DecodeStatus.Invalid, why);
    }

    [Fact]
    public void DecodeRequest_RoundTripsEveryFunction()
    {
        ModbusRequest[] requests =
        [
            ModbusRequest.ReadCoils(1, 2000), ModbusRequest.ReadDiscreteInputs(2, 3),
            ModbusRequest.ReadHoldingRegisters(3, 125), ModbusRequest.ReadInputRegisters(4, 1),
            ModbusRequest.WriteSingleCoil(5, true), ModbusRequest.WriteSingleRegister(6, 0xBEEF),
            ModbusRequest.WriteMultipleCoils(7, [true, true, false]), ModbusRequest.WriteMultipleRegisters(8, [1, 2, 3]),
        ];
        foreach (var request in requests)
        {
            var pdu = ModbusPdu.EncodeRequest(request);
            Assert.Equal(pdu.Length, ModbusPdu.PredictLength(pdu, ModbusDirection.Request));
            var decoded = ModbusPdu.DecodeRequest(pdu);
            Assert.NotNull(decoded.Request);
            Assert.Equal(pdu, ModbusPdu.EncodeRequest(decoded.Request));
        }
    }

    [Theory]
    // libmodbus (strict reference, notes §6.4): qty 126 → 03, FC05 value 1234 → 03, unknown FC → 01.
    [InlineData("03 00 00 00 7E", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("03 00 00 00 00", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("05 00 00 12 34", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("41 00 00", ModbusExceptionCode.IllegalFunction)]
    [InlineData("03 FF FF 00 02", ModbusExceptionCode.IllegalDataAddress)]
    public void DecodeRequest_Unacceptable_GivesLibmodbusException(string hex, ModbusExceptionCode expected)
    {
        var decoded = ModbusPdu.DecodeRequest(Hex.Parse(hex));
        Assert.Null(decoded.Request);
        Assert.Equal(expected, decoded.Rejection);
    }

    [Fact]
    public void EncodeResponse_RoundTripsThroughDecode()
    {
        ModbusResponse[] responses =
        [
            ModbusResponse.ReadRegisters(ModbusFunction.ReadInputRegisters, [1, 2]),
            ModbusResponse.ReadBits(ModbusFunction.ReadCoils, [true, false, true]),
            ModbusResponse.WriteAck(ModbusFunction.WriteSingleCoil, 0, ModbusRequest.CoilOn),
            ModbusResponse.WriteAck(ModbusFunction.WriteMultipleRegisters, 0x57, 2),
            ModbusResponse.Failure(ModbusFunction.ReadCoils, ModbusExceptionCode.GatewayTargetDeviceFailedToRespond),
        ];
        foreach (var response in responses)
        {
            var pdu = ModbusPdu.EncodeResponse(response);
            Assert.Equal(pdu.Length, ModbusPdu.PredictLength(pdu, ModbusDirection.Response));
            var decoded = ModbusPdu.DecodeResponse(pdu);
            Assert.Equal(DecodeStatus.Ok, decoded.Status);
            Assert.Equal(pdu, ModbusPdu.EncodeResponse(decoded.Frame!));
        }
    }
}
