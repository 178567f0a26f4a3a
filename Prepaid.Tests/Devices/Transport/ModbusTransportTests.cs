using System.Net;
using System.Net.Sockets;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Modbus;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Transport;

public class ModbusTransportTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    internal static int RtuRequestLength(byte[] bytes) => Math.Max(0, ModbusRtu.PredictFrameLength(bytes, ModbusDirection.Request));

    private static int MbapLength(byte[] bytes) => bytes.Length >= 6 ? 6 + (bytes[4] << 8 | bytes[5]) : 0;

    private static byte[] GoldenReply => Frames.Bytes(Frames.ModbusRtuReadReply);

    [Fact]
    public async Task RtuOverTcp_ReplyTrickledAfterNoise_IsReassembled()
    {
        var noise = Hex.Parse("00 FF 41 13");
        await using var peer = new ScriptedPeer(RtuRequestLength, (_, request) =>
        {
            Assert.Equal(Frames.Bytes(Frames.ModbusRtuReadRequest), request);
            return PeerAction.Trickle([.. noise, .. GoldenReply]);
        });
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadHoldingRegistersAsync(1, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Ok, result.Status);
        Assert.Equal(new ushort[] { 1, 34464 }, result.Value);
        Assert.Equal(noise.Length, client.Counters.DiscardedBytes);
        Assert.True(client.Counters.InvalidFrames >= 1);
    }

    [Fact]
    public async Task RtuOverTcp_NoiseThatPromisesALongFrame_DoesNotHideTheReply()
    {
        // 01 03 FA reads as "unit 1, FC03, 250 data bytes": scanning from the head alone would
        // wait for 255 bytes and time out with the real reply sitting in the buffer.
        var noise = Hex.Parse("01 03 FA");
        await using var peer = new ScriptedPeer(RtuRequestLength, (_, _) => PeerAction.Send([.. noise, .. GoldenReply]));
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadHoldingRegistersAsync(1, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Ok, result.Status);
        Assert.Equal(new ushort[] { 1, 34464 }, result.Value);
        Assert.Equal(noise.Length, client.Counters.DiscardedBytes);
    }

    [Fact]
    public async Task RtuOverTcp_BadCrc_IsCountedAndTimesOut()
    {
        var corrupt = GoldenReply;
        corrupt[^1] ^= 0x55;
        await using var peer = new ScriptedPeer(RtuRequestLength, (_, _) => PeerAction.Send(corrupt));
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", peer.Port, Short);

        var result = await client.ReadHoldingRegistersAsync(1, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Timeout, result.Status);
        Assert.True(client.Counters.InvalidFrames >= 1);
        Assert.Equal(1, client.Counters.Timeouts);
    }

    [Fact]
    public async Task RtuOverTcp_LateReplyToEarlierRequest_IsDiscardedBeforeNextRequest()
    {
        // Request 0 is answered only after the client gave up (not after a fixed wait, which a loaded machine's late
        // timer can outlast); request 1 must not take that answer.
        var secondReply = ModbusRtu.Encode(1, ModbusPdu.EncodeResponse(ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, [7, 8])));
        using var lateReplySent = new SemaphoreSlim(0);
        using var clientGaveUp = new SemaphoreSlim(0);
        await using var peer = new ScriptedPeer(RtuRequestLength, (n, _) =>
        {
            if (n > 0)
            {
                return PeerAction.Send(secondReply);
            }
            clientGaveUp.Wait(TimeSpan.FromSeconds(10));
            lateReplySent.Release();
            return PeerAction.Send(GoldenReply);
        });
        await using var transport = new TcpFrameTransport("127.0.0.1", peer.Port, ModbusRtuFormat.Instance);
        var request = Frames.Bytes(Frames.ModbusRtuReadRequest);
        var ct = TestContext.Current.CancellationToken;

        var first = await transport.ExchangeAsync(request, TimeSpan.FromMilliseconds(100), ct);
        clientGaveUp.Release();
        await lateReplySent.WaitAsync(ct);
        await Task.Delay(100, ct); // let the late reply reach our socket
        var second = await transport.ExchangeAsync(request, TimeSpan.FromSeconds(5), ct);

        Assert.Equal(TransportStatus.Timeout, first.Status);
        Assert.Equal(TransportStatus.Ok, second.Status);
        Assert.Equal(secondReply, second.Frame);
        Assert.Equal(GoldenReply.Length, transport.Counters.DiscardedBytes);
        Assert.Equal(1, transport.Counters.Connects);
    }

    [Fact]
    public async Task Tcp_ReplyWithStaleTransactionId_IsDiscarded()
    {
        await using var peer = new ScriptedPeer(MbapLength, (_, request) =>
        {
            var pdu = ModbusPdu.EncodeResponse(ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, [1, 34464]));
            var tid = (ushort)(request[0] << 8 | request[1]);
            var stale = ModbusTcp.Encode((ushort)(tid - 1), request[6], ModbusPdu.EncodeResponse(
                ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, [9, 9])));
            return PeerAction.Send(stale, ModbusTcp.Encode(tid, request[6], pdu));
        });
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadHoldingRegistersAsync(1, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(new ushort[] { 1, 34464 }, result.Value);
        Assert.Equal(1, client.Counters.UnmatchedFrames);
    }

    [Fact]
    public async Task Tcp_InvalidMbapHeader_DropsTheBufferAndReconnects_NeverResyncsIntoThePayload()
    {
        // The answer to transaction t starts with an impossible length (0xFF) and carries, six bytes in, a perfectly
        // formed reply with the same transaction id: rescanning byte by byte would take it for the answer.
        await using var peer = new ScriptedPeer(MbapLength, (n, request) =>
        {
            var tid = (ushort)(request[0] << 8 | request[1]);
            var embedded = ModbusTcp.Encode(tid, request[6], ModbusPdu.EncodeResponse(
                ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, [1, 34464])));
            if (n == 0) return PeerAction.Send([request[0], request[1], 0x00, 0x00, 0x00, 0xFF, .. embedded, .. new byte[40]]);
            return PeerAction.Send(ModbusTcp.Encode(tid, request[6], ModbusPdu.EncodeResponse(
                ModbusResponse.ReadRegisters(ModbusFunction.ReadHoldingRegisters, [7, 8]))));
        });
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port, TimeSpan.FromSeconds(2));
        var ct = TestContext.Current.CancellationToken;

        var first = await client.ReadHoldingRegistersAsync(1, 0, 2, ct);
        var second = await client.ReadHoldingRegistersAsync(1, 0, 2, ct);

        Assert.Equal(DeviceResultStatus.ConnectionLost, first.Status);
        Assert.Null(first.Value);
        Assert.Equal(1, client.Counters.InvalidFrames);
        Assert.Equal(1, client.Counters.ConnectionsLost);
        Assert.Equal(DeviceResultStatus.Ok, second.Status);
        Assert.Equal(new ushort[] { 7, 8 }, second.Value);
        Assert.Equal(2, client.Counters.Connects);
    }

    [Fact]
    public async Task Tcp_GatewayException0B_IsRefusedWithCode()
    {
        await using var peer = new ScriptedPeer(MbapLength, (_, request) => PeerAction.Send(ModbusTcp.Encode(
            (ushort)(request[0] << 8 | request[1]), request[6],
            ModbusPdu.EncodeResponse(ModbusResponse.Failure(ModbusFunction.ReadInputRegisters,
                ModbusExceptionCode.GatewayTargetDeviceFailedToRespond)))));
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port);

        var result = await client.ReadInputRegistersAsync(9, 0, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.Refused, result.Status);
        Assert.Equal((byte)ModbusExceptionCode.GatewayTargetDeviceFailedToRespond, result.ErrorCode);
        Assert.Equal(1, client.Counters.DeviceErrors);
    }

    [Fact]
    public async Task Tcp_PeerHangsUp_ConnectionLostThenReconnects()
    {
        await using var peer = new ScriptedPeer(MbapLength, (n, request) => n == 0
            ? PeerAction.Hangup()
            : PeerAction.Send(ModbusTcp.Encode((ushort)(request[0] << 8 | request[1]), request[6],
                ModbusPdu.EncodeResponse(ModbusResponse.WriteAck(ModbusFunction.WriteSingleCoil, 0, ModbusRequest.CoilOn)))));
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port);
        var ct = TestContext.Current.CancellationToken;

        var first = await client.WriteSingleCoilAsync(1, 0, true, ct);
        var second = await client.WriteSingleCoilAsync(1, 0, true, ct);

        Assert.Equal(DeviceResultStatus.ConnectionLost, first.Status);
        Assert.Equal(DeviceResultStatus.Ok, second.Status);
        Assert.Equal(2, client.Counters.Connects);
        Assert.Equal(1, client.Counters.ConnectionsLost);
    }

    [Fact]
    public async Task Tcp_NothingListening_ConnectFailed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var client = ModbusClient.OverTcp("127.0.0.1", port, Short);

        var result = await client.ReadCoilsAsync(1, 0, 1, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.ConnectFailed, result.Status);
        Assert.Equal(1, client.Counters.ConnectFailures);
    }

    [Fact]
    public async Task Tcp_WrongEcho_IsInvalidReply()
    {
        await using var peer = new ScriptedPeer(MbapLength, (_, request) => PeerAction.Send(ModbusTcp.Encode(
            (ushort)(request[0] << 8 | request[1]), request[6],
            ModbusPdu.EncodeResponse(ModbusResponse.WriteAck(ModbusFunction.WriteSingleRegister, 5, 1)))));
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port);

        var result = await client.WriteSingleRegisterAsync(1, 5, 2, TestContext.Current.CancellationToken);

        Assert.Equal(DeviceResultStatus.InvalidReply, result.Status);
        Assert.Equal(1, client.Counters.InvalidReplies);
    }

    [Fact]
    public async Task CallerCancellation_Throws()
    {
        await using var peer = new ScriptedPeer(MbapLength, (_, _) => PeerAction.Silence());
        await using var client = ModbusClient.OverTcp("127.0.0.1", peer.Port, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadHoldingRegistersAsync(1, 0, 1, cts.Token));
    }
}
