using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;

namespace Prepaid.Tests.Devices.Fuzz;

/// <summary>
/// The server side under truncated, oversized, corrupted and random frames (issue 11): every simulated gateway stays up,
/// answers nothing that was not a request, and still answers a good request afterwards. Each input goes on a connection of
/// its own, which the client half-closes, so a server that has nothing to say closes at once. The oracles that decide what
/// counts as a request are written here, apart from both the codec and the simulators.
/// </summary>
[Collection(CpuHeavyCollection.Name)]
public class ServerFuzzTests
{
    const int Inputs = 200;
    readonly SettableTimeProvider time = SettableTimeProvider.At2026();

    SimulatedElectricMeter Electric(byte unit, string address) => new(unit, address, time, LoadProfile.Constant(1000), 10_000);

    static async Task<RawTcp.Answer> SendAsync(LoopbackServer server, byte[] input) =>
        await RawTcp.SendAsync(server.Port, input, TimeSpan.FromSeconds(5), halfClose: true);

    /// <summary>Random bytes, truncated and corrupted good frames, good frames buried in long noise, and floods past any buffer.</summary>
    static IEnumerable<byte[]> Mutations(Random random, byte[][] good)
    {
        for (var i = 0; i < Inputs; i++)
        {
            var frame = good[random.Next(good.Length)];
            switch (i % 5)
            {
                case 0:
                    yield return Noise(random, random.Next(0, 600));
                    break;
                case 1:
                    yield return frame[..random.Next(0, frame.Length)];
                    break;
                case 2:
                {
                    var corrupt = (byte[])frame.Clone();
                    corrupt[random.Next(corrupt.Length)] ^= (byte)random.Next(1, 256);
                    yield return corrupt;
                    break;
                }
                case 3:
                    yield return [.. Noise(random, random.Next(1, 50)), .. frame[..^1], .. Noise(random, random.Next(300, 1200))];
                    break;
                default:
                    yield return Noise(random, random.Next(4096, 9000));
                    break;
            }
        }
    }

    static byte[] Noise(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Any complete 68 … CS 16 frame with a matching checksum anywhere in the bytes (DL/T 645 when <paramref name="secondStartAt"/>
    /// is 7, CJ/T 188 when it is null); the frame layout of notes §2.2 / §3.2, sums checked by a plain loop.</summary>
    static bool HasSummedFrame(byte[] b, int? secondStartAt, int lengthAt)
    {
        for (var i = 0; i < b.Length; i++)
        {
            if (b[i] != 0x68 || i + lengthAt >= b.Length || secondStartAt is { } s && b[i + s] != 0x68) continue;
            var end = i + lengthAt + 1 + b[i + lengthAt];
            if (end + 1 >= b.Length) continue;
            var sum = 0;
            for (var k = i; k < end; k++) sum += b[k];
            if ((byte)sum == b[end] && b[end + 1] == 0x16) return true;
        }
        return false;
    }

    /// <summary>Any run starting with unit <paramref name="unit"/> followed by its CRC-16/MODBUS (low byte first), computed bit by bit.</summary>
    static bool HasCrcFrame(byte[] b, byte unit)
    {
        for (var i = 0; i < b.Length; i++)
        {
            if (b[i] != unit) continue;
            ushort crc = 0xFFFF;
            for (var j = i; j < Math.Min(b.Length - 1, i + 254); j++)
            {
                // Here crc covers b[i..j): a frame of at least unit + function code ends at j when b[j], b[j+1] are that CRC.
                if (j - i >= 2 && b[j] == (crc & 0xFF) && b[j + 1] == crc >> 8) return true;
                crc ^= b[j];
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0xA001) : (ushort)(crc >> 1);
            }
        }
        return false;
    }

    [Fact]
    public async Task Dlt645Gateway_AnswersNoFrameThatIsNotARequest_AndStaysUp()
    {
        await using var gateway = new Dlt645GatewaySimulator([Electric(1, "000000000161"), Electric(2, "000000000162")]);
        gateway.Start();
        var request = Frames.Bytes(Frames.Dlt645ReadEnergyRequest);
        var random = new Random(645);
        var checkedInputs = 0;
        foreach (var input in Mutations(random, [request, Frames.Bytes(Frames.Dlt645TripRequest)]))
        {
            if (HasSummedFrame(input, 7, 9)) continue;
            var answer = await SendAsync(gateway, input);
            Assert.True(answer.Bytes.Length == 0, $"replied {Hex.Format(answer.Bytes)} to {Hex.Format(input)}");
            checkedInputs++;
        }
        // Replies (D7 set) and broadcasts are frames, but not requests a meter answers.
        var reply = Frames.Bytes(Frames.Dlt645ReadEnergyReply);
        var broadcast = Dlt645Codec.Encode(Dlt645Read.Request(Dlt645Frame.BroadcastAddress, Dlt645DataIds.ForwardActiveTotal));
        foreach (var notARequest in new[] { reply, broadcast, [.. reply, .. reply] })
            Assert.Empty((await SendAsync(gateway, notARequest)).Bytes);

        Assert.True(checkedInputs > Inputs / 2, $"only {checkedInputs} inputs were free of frames");
        var still = Dlt645Codec.Decode((await SendAsync(gateway, request)).Bytes);
        Assert.True(still.IsOk);
        Assert.True(Dlt645Values.TryReadEnergyWh(Dlt645Read.ParseReply(still.Frame!, Dlt645DataIds.ForwardActiveTotal).Value!.Value, out var wh));
        Assert.Equal(10_000, wh);
    }

    [Fact]
    public async Task Cjt188Gateway_AnswersNoFrameThatIsNotARequest_AndStaysUp()
    {
        var meter = new SimulatedWaterMeter("78330011223344", time, 60, 556_677_000_000);
        await using var gateway = new Cjt188GatewaySimulator([meter]);
        gateway.Start();
        var request = Frames.Bytes(Frames.ScReadRequest);
        var random = new Random(188);
        var checkedInputs = 0;
        foreach (var input in Mutations(random, [request, Frames.Bytes(Frames.ScValveOpenRequest)]))
        {
            if (HasSummedFrame(input, null, 10)) continue;
            var answer = await SendAsync(gateway, input);
            Assert.True(answer.Bytes.Length == 0, $"replied {Hex.Format(answer.Bytes)} to {Hex.Format(input)}");
            checkedInputs++;
        }
        foreach (var notARequest in new[] { Frames.Bytes(Frames.ScReadReply), Frames.Bytes(Frames.ScValveOpenReply), Frames.Bytes(Frames.ValveOpen2AReply) })
            Assert.Empty((await SendAsync(gateway, notARequest)).Bytes);

        Assert.True(checkedInputs > Inputs / 2, $"only {checkedInputs} inputs were free of frames");
        var still = Prepaid.Devices.Cjt188.Cjt188Codec.Decode((await SendAsync(gateway, request)).Bytes);
        var reading = Prepaid.Devices.Cjt188.Cjt188Read.ParseReply(still.Frame!, Prepaid.Devices.Cjt188.Cjt188Options.Default);
        Assert.Equal(556_677_000_000, reading.Value!.CurrentFlowMillilitres);
    }

    [Fact]
    public async Task RtuDtu_AnswersNoFrameThatIsNotARequest_AndStaysUp()
    {
        await using var dtu = new ModbusRtuDtuSimulator(new ModbusBus([Electric(1, "000000000001")]));
        dtu.Start();
        var request = Frames.Bytes(Frames.ModbusRtuReadRequest);
        var random = new Random(485);
        var checkedInputs = 0;
        foreach (var input in Mutations(random, [request, ModbusRtu.Encode(1, ModbusPdu.EncodeRequest(ModbusRequest.WriteSingleCoil(0, false)))]))
        {
            if (HasCrcFrame(input, 1)) continue;
            var answer = await SendAsync(dtu, input);
            Assert.True(answer.Bytes.Length == 0, $"replied {Hex.Format(answer.Bytes)} to {Hex.Format(input)}");
            checkedInputs++;
        }
        // A reply on the line, and a request to a unit the bus does not have: silence.
        Assert.Empty((await SendAsync(dtu, Frames.Bytes(Frames.ModbusRtuReadReply))).Bytes);
        Assert.Empty((await SendAsync(dtu, ModbusRtu.Encode(9, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2))))).Bytes);

        Assert.True(checkedInputs > Inputs / 2, $"only {checkedInputs} inputs were free of frames");
        Assert.Equal(9, (await SendAsync(dtu, request)).Bytes.Length);
    }

    [Fact]
    public async Task ModbusTcpGateway_AnswersEachCompleteRequestOnce_AndClosesOnALostFrame()
    {
        await using var gateway = new ModbusTcpGatewaySimulator(new ModbusBus([Electric(1, "000000000001")]));
        gateway.Start();
        var random = new Random(502);
        var good = ModbusTcp.Encode(77, 1, ModbusPdu.EncodeRequest(ModbusRequest.ReadHoldingRegisters(0, 2)));
        foreach (var input in Mutations(random, [good, Frames.OversizedMbapRequest()]))
        {
            var expected = ExpectedTransactions(input, out var syncLost);
            var answer = await SendAsync(gateway, input);
            Assert.Equal(expected, Transactions(answer.Bytes));
            if (syncLost) Assert.True(answer.ClosedByServer);
        }
        Assert.Equal([77], Transactions((await SendAsync(gateway, good)).Bytes));
    }

    /// <summary>The MBAP walk of notes §1.2 from the first byte: each complete frame with a unit other than 0 (broadcast) is one
    /// request the gateway answers; an impossible header (protocol id ≠ 0, length outside 2..254) ends the stream.</summary>
    static List<int> ExpectedTransactions(byte[] b, out bool syncLost)
    {
        var tids = new List<int>();
        syncLost = false;
        var at = 0;
        while (b.Length - at >= 7)
        {
            var protocol = b[at + 2] << 8 | b[at + 3];
            var length = b[at + 4] << 8 | b[at + 5];
            if (protocol != 0 || length is < 2 or > 254)
            {
                syncLost = true;
                break;
            }
            if (b.Length - at < 6 + length) break;
            if (b[at + 6] != 0) tids.Add(b[at] << 8 | b[at + 1]);
            at += 6 + length;
        }
        return tids;
    }

    static List<int> Transactions(byte[] replies)
    {
        var tids = new List<int>();
        for (var at = 0; replies.Length - at >= 7; at += 6 + (replies[at + 4] << 8 | replies[at + 5]))
            tids.Add(replies[at] << 8 | replies[at + 1]);
        return tids;
    }
}
