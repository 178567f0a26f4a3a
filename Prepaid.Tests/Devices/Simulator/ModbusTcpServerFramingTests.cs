using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Simulator;

/// <summary>The server side of MBAP framing: there is no sync marker, so a header that cannot be valid ends the
/// connection (as libmodbus does) instead of a byte-by-byte rescan that finds requests inside payloads.</summary>
public class ModbusTcpServerFramingTests
{
    readonly SettableTimeProvider time = SettableTimeProvider.At2026();

    ModbusTcpGatewaySimulator Gateway() =>
        new(new ModbusBus([new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(1200), 100_000)]));

    [Fact]
    public async Task OversizedMbapLength_ClosesTheConnection_WithoutAPhantomReply()
    {
        await using var gateway = Gateway();
        gateway.Start();

        var answer = await RawTcp.SendAsync(gateway.Port, Frames.OversizedMbapRequest(), TimeSpan.FromSeconds(3));

        Assert.NotEqual(Frames.OversizedMbapPhantomReply, Hex.Format(answer.Bytes));
        Assert.Empty(answer.Bytes);
        Assert.True(answer.ClosedByServer, "the server must drop a connection whose framing is lost");
        Assert.Equal(0, gateway.RequestCount);
    }

    [Theory]
    // Protocol id 1 is not Modbus; libmodbus answers it anyway (notes §6.4), the platform's server is stricter.
    [InlineData("00 07 00 01 00 06 01 03 00 00 00 02")]
    [InlineData("00 07 00 00 00 01 01 03 00 00 00 02")]   // length 1: no room for a function code
    [InlineData("00 07 00 00 01 00 01 03 00 00 00 02")]   // length 256
    public async Task ImpossibleHeader_ClosesTheConnection(string hex)
    {
        await using var gateway = Gateway();
        gateway.Start();

        var answer = await RawTcp.SendAsync(gateway.Port, Hex.Parse(hex), TimeSpan.FromSeconds(3));

        Assert.Empty(answer.Bytes);
        Assert.True(answer.ClosedByServer);
    }

    [Fact]
    public async Task ValidRequestAfterReconnect_IsAnsweredAsUsual()
    {
        await using var gateway = Gateway();
        gateway.Start();
        await RawTcp.SendAsync(gateway.Port, Frames.OversizedMbapRequest(), TimeSpan.FromSeconds(3));

        var request = ModbusTcp.Encode(9, 1, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2)));
        var answer = await RawTcp.SendAsync(gateway.Port, request, TimeSpan.FromSeconds(3), halfClose: true);

        Assert.Equal(Hex.Parse("00 09 00 00 00 07 01 03 04 00 00 27 10"), answer.Bytes);   // 100000 Wh = 10000 × 0.01 kWh
    }
}
