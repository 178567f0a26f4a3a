using System.Diagnostics;
using System.IO.Ports;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Transport;

public class SerialFrameTransportTests
{
    [Theory]
    // notes §7.1: t3.5 = 3.65 ms at 9600 8N1, 4.01 ms at 9600 8E1, 14.6 ms at 2400 8N1; fixed above 19200.
    [InlineData(9600, Parity.None, 36_458)]
    [InlineData(9600, Parity.Even, 40_104)]
    [InlineData(2400, Parity.None, 145_833)]
    [InlineData(38400, Parity.None, 17_500)]
    public void InterFrameGap_IsThreeAndAHalfCharacters(int baud, Parity parity, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), new SerialSettings("unused", baud, parity).InterFrameGap);
    }

    [Fact]
    public async Task ModbusClient_OverPtyPair_ReadsAndTimesOut()
    {
        // A socat pty pair stands in for an RS-485 adapter, as in notes §6.3; ptys ignore baud.
        if (!File.Exists("/usr/bin/socat"))
        {
            Assert.Skip("socat is not installed (apt-get install socat)");
        }
        var dir = Directory.CreateTempSubdirectory("pty");
        string meterSide = Path.Combine(dir.FullName, "ttyA"), masterSide = Path.Combine(dir.FullName, "ttyB");
        using var socat = Process.Start(new ProcessStartInfo("/usr/bin/socat",
            [$"pty,raw,echo=0,link={meterSide}", $"pty,raw,echo=0,link={masterSide}"]))!;
        try
        {
            var ct = TestContext.Current.CancellationToken;
            while (!File.Exists(meterSide) || !File.Exists(masterSide))
            {
                await Task.Delay(20, ct);
            }
            var time = SettableTimeProvider.At2026();
            var bus = new ModbusBus([new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(1200), 5000)]);
            using var slavePort = new SerialPort(meterSide, 9600);
            slavePort.Open();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var slave = Task.Run(() => ServeRtuAsync(slavePort.BaseStream, bus, stop.Token), ct);
            await using var client = ModbusClient.OverSerial(new SerialSettings(masterSide), TimeSpan.FromMilliseconds(500));

            var energy = await new ModbusMeter(client, 1, ModbusMeterProfile.Generic).ReadEnergiesAsync(ct);
            var absent = await client.ReadHoldingRegistersAsync(5, 0, 1, ct);
            var afterTimeout = await client.ReadHoldingRegistersAsync(1, 0x000A, 1, ct);

            Assert.Equal(5000, energy.Value!.TotalWh);
            Assert.Equal(DeviceResultStatus.Timeout, absent.Status);
            Assert.Equal(DeviceResultStatus.Ok, afterTimeout.Status);
            await stop.CancelAsync();
            slavePort.Close();
            await Task.WhenAny(slave, Task.Delay(1000, ct));
        }
        finally
        {
            socat.Kill();
            await socat.WaitForExitAsync(CancellationToken.None);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A bare RTU slave on the meter side of the pty: reassembles requests by length and
    /// CRC and answers from the bus, like the DTU simulator does over TCP.</summary>
    private static async Task ServeRtuAsync(Stream stream, ModbusBus bus, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var chunk = new byte[256];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var read = await stream.ReadAsync(chunk, ct);
                buffer.AddRange(chunk.AsSpan(0, read));
                while (buffer.Count > 0)
                {
                    var result = ModbusRtu.Decode([.. buffer], ModbusDirection.Request);
                    if (result.Status == Prepaid.Devices.Codec.DecodeStatus.NeedMore)
                    {
                        break;
                    }
                    buffer.RemoveRange(0, result.Consumed);
                    if (result.Frame is { } frame && bus.Handle(frame.Unit, frame.Pdu) is { } reply)
                    {
                        await stream.WriteAsync(ModbusRtu.Encode(frame.Unit, reply), ct);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Test finished and closed the port.
        }
    }
}
