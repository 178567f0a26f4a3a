using Prepaid.Devices.Modbus;
using Prepaid.Devices.Transport;

namespace Prepaid.Tests.Devices.Conformance;

/// <summary>Our Modbus client against libmodbus 3.1.6 (the strict reference for exceptions, protocols-notes §6.4),
/// over TCP and as RTU through a socat pseudo-terminal pair.</summary>
[Collection(nameof(ConformanceCollection))]
public class LibmodbusConformanceTests
{
    [Fact]
    public async Task TcpClient_AgainstLibmodbusServer_ReadsWritesAndReadsItsExceptions()
    {
        var server = await PeerTools.LibmodbusServerAsync();
        var port = PeerTools.FreePort();
        await using var peer = new PeerTools.Peer(PeerTools.Start(server, ["tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        await peer.WaitForAsync("ready");
        var ct = TestContext.Current.CancellationToken;
        await using var client = ModbusClient.OverTcp("127.0.0.1", port, TimeSpan.FromSeconds(2));

        var read = await client.ReadHoldingRegistersAsync(1, 0, 4, ct);
        Assert.Equal(DeviceResultStatus.Ok, read.Status);
        Assert.Equal(new ushort[] { 1, 34464, 200, 300 }, read.Value);
        Assert.Equal(100_000u, ModbusWords.ToUInt32(read.Value![0], read.Value[1], WordOrder.HighFirst));

        Assert.True((await client.WriteSingleRegisterAsync(1, 5, 4321, ct)).IsOk);
        Assert.True((await client.WriteMultipleRegistersAsync(1, 10, [7, 8, 9], ct)).IsOk);
        Assert.Equal(new ushort[] { 4321 }, (await client.ReadHoldingRegistersAsync(1, 5, 1, ct)).Value);
        Assert.Equal(new ushort[] { 7, 8, 9 }, (await client.ReadHoldingRegistersAsync(1, 10, 3, ct)).Value);

        Assert.True((await client.WriteSingleCoilAsync(1, 3, true, ct)).IsOk);
        Assert.True((await client.WriteMultipleCoilsAsync(1, 8, [true, false, true], ct)).IsOk);
        Assert.Equal(new[] { false, false, false, true }, (await client.ReadCoilsAsync(1, 0, 4, ct)).Value);
        Assert.Equal(new[] { true, false, true }, (await client.ReadCoilsAsync(1, 8, 3, ct)).Value);

        // Past the 128 mapped registers: libmodbus answers exception 02, which we return as a refusal, not an error.
        var beyond = await client.ReadHoldingRegistersAsync(1, 126, 5, ct);
        Assert.Equal(DeviceResultStatus.Refused, beyond.Status);
        Assert.Equal((byte)ModbusExceptionCode.IllegalDataAddress, beyond.ErrorCode);
        Assert.Equal(1, client.Counters.DeviceErrors);
        Assert.Equal(0, client.Counters.InvalidFrames);
    }

    [Fact]
    public async Task AcrelEmsPluginProfile_SwitchesWithFc16AndReadsBack_AgainstLibmodbus()
    {
        // The plugin's control register is in no Acrel document (protocols-notes §4); this pins our side of it against an
        // independent server: FC 0x10 to 0x0057 with 0001 0001 to cut, 0001 0000 to restore, read back from the same registers.
        var server = await PeerTools.LibmodbusServerAsync();
        var port = PeerTools.FreePort();
        await using var peer = new PeerTools.Peer(PeerTools.Start(server, ["tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        await peer.WaitForAsync("ready");
        var ct = TestContext.Current.CancellationToken;
        await using var link = new Prepaid.Devices.Metering.BusLink(new(Prepaid.Devices.Metering.GatewayProtocol.ModbusTcp, "127.0.0.1", port, null, 9600,
            TimeSpan.FromSeconds(2), TimeSpan.FromHours(8)));
        var acrel = new Prepaid.Devices.Metering.MeterTarget("1", Prepaid.Devices.Metering.MeterProfiles.AcrelEmsPlugin);

        var before = await link.ReadAsync(acrel, ct);
        Assert.True(before.IsOk, before.Detail);
        Assert.Equal(1_000_000, before.Value!.TotalMilli);            // 100000 counts × 10 Wh
        Assert.False(before.Value.SwitchOpen);
        Assert.True((await link.ActAsync(acrel, Prepaid.Devices.Metering.MeterAction.Trip, DateTimeOffset.UnixEpoch, ct)).IsOk);
        Assert.True((await link.ReadAsync(acrel, ct)).Value!.SwitchOpen);
        Assert.True((await link.ActAsync(acrel, Prepaid.Devices.Metering.MeterAction.Close, DateTimeOffset.UnixEpoch, ct)).IsOk);
        Assert.False((await link.ReadAsync(acrel, ct)).Value!.SwitchOpen);
    }

    [Fact]
    public async Task AcrelDdsy1352Profile_ReadsTheManualsEnergyRegisters_AndNoRelay_AgainstLibmodbus()
    {
        var server = await PeerTools.LibmodbusServerAsync();
        var port = PeerTools.FreePort();
        await using var peer = new PeerTools.Peer(PeerTools.Start(server, ["tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        await peer.WaitForAsync("ready");
        var ct = TestContext.Current.CancellationToken;
        await using var link = new Prepaid.Devices.Metering.BusLink(new(Prepaid.Devices.Metering.GatewayProtocol.ModbusTcp, "127.0.0.1", port, null, 9600,
            TimeSpan.FromSeconds(2), TimeSpan.FromHours(8)));
        var acrel = new Prepaid.Devices.Metering.MeterTarget("1", Prepaid.Devices.Metering.MeterProfiles.AcrelDdsy1352);

        var read = await link.ReadAsync(acrel, ct);

        Assert.True(read.IsOk, read.Detail);
        Assert.Equal(1_000_000, read.Value!.TotalMilli);                // 0000H-0001H = 100000 × 0.01 kWh
        Assert.Equal((200L << 16 | 300) * 10, read.Value.PeriodsMilli![0]); // 0002H-0003H, 尖
        Assert.Null(read.Value.SwitchOpen);                              // no relay register in the published table
        var trip = await link.ActAsync(acrel, Prepaid.Devices.Metering.MeterAction.Trip, DateTimeOffset.UnixEpoch, ct);
        Assert.Equal(DeviceResultStatus.InvalidReply, trip.Status);
    }

    [Fact]
    public async Task GenericProfile_PushesASettingWithFc16AndReadsItBack_AgainstLibmodbus()
    {
        var server = await PeerTools.LibmodbusServerAsync();
        var port = PeerTools.FreePort();
        await using var peer = new PeerTools.Peer(PeerTools.Start(server, ["tcp", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        await peer.WaitForAsync("ready");
        var ct = TestContext.Current.CancellationToken;
        await using var link = new Prepaid.Devices.Metering.BusLink(new(Prepaid.Devices.Metering.GatewayProtocol.ModbusTcp, "127.0.0.1", port, null, 9600,
            TimeSpan.FromSeconds(2), TimeSpan.FromHours(8)));
        var meter = new Prepaid.Devices.Metering.MeterTarget("1", Prepaid.Devices.Metering.MeterProfiles.GenericModbus);

        var pushed = await link.PushParameterAsync(meter, new(Prepaid.Devices.Metering.MeterParameter.Price2, 95_000), ct);

        // Ok means libmodbus, read back with FC 0x03 after the FC 0x10 write, holds 95000 = 0001 7318 at 0x0012.
        Assert.True(pushed.IsOk, pushed.Detail);
        Assert.True((await link.PushParameterAsync(meter, new(Prepaid.Devices.Metering.MeterParameter.OverloadLimit, 70_000), ct)).IsOk);
    }

    [Fact]
    public async Task RtuClient_OverSocatPtyPair_TalksToLibmodbusRtuSlave()
    {
        var server = await PeerTools.LibmodbusServerAsync();
        var folder = Directory.CreateTempSubdirectory("prepaid-pty-").FullName;
        string a = Path.Combine(folder, "ttyA"), b = Path.Combine(folder, "ttyB");
        await using var pty = await PeerTools.PtyPairAsync(a, b);
        await using var slave = new PeerTools.Peer(PeerTools.Start(server, ["rtu", a, "9600"]));
        await slave.WaitForAsync("ready");
        var ct = TestContext.Current.CancellationToken;
        await using var client = ModbusClient.OverSerial(new SerialSettings(b, 9600), TimeSpan.FromSeconds(2));

        // protocols-notes §1.5's vector: 01 03 00 00 00 02 → 01 03 04 00 01 86 A0, here through the real serial stack.
        var read = await client.ReadHoldingRegistersAsync(1, 0, 2, ct);
        Assert.True(read.IsOk, $"{read.Status} {read.Detail}");
        Assert.Equal(new ushort[] { 1, 34464 }, read.Value);
        Assert.True((await client.WriteSingleCoilAsync(1, 0, true, ct)).IsOk);
        Assert.Equal(new[] { true }, (await client.ReadCoilsAsync(1, 0, 1, ct)).Value);
        // A unit the line does not have stays silent on RTU: a timeout, counted, never an exception.
        var absent = await ModbusClientTimeoutAsync(client, ct);
        Assert.Equal(DeviceResultStatus.Timeout, absent);
    }

    static async Task<DeviceResultStatus> ModbusClientTimeoutAsync(ModbusClient client, CancellationToken ct) =>
        (await client.ReadHoldingRegistersAsync(7, 0, 1, ct)).Status;
}

[CollectionDefinition(nameof(ConformanceCollection), DisableParallelization = true)]
public sealed class ConformanceCollection;
