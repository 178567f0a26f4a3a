using Prepaid.Devices.Modbus;
using Prepaid.Devices.Transport;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Transport;

/// <summary>
/// A link's owner is asked at each frame's turn on the wire, not when it was queued: a request that waited behind
/// another while the right to use the bus lapsed (a node paused past its lease) answers NotSent and puts nothing on
/// the wire.
/// </summary>
public class MaySendTests
{
    [Fact]
    public async Task RequestQueuedBehindAnother_WhenTheRightLapsesMeanwhile_IsNotSent()
    {
        var allowed = true;
        var seen = 0;
        using var release = new SemaphoreSlim(0);
        await using var peer = new ScriptedPeer(ModbusTransportTests.RtuRequestLength, (_, _) =>
        {
            if (Interlocked.Increment(ref seen) == 1) release.Wait(TimeSpan.FromSeconds(5)); // holds the first answer
            return PeerAction.Send(Frames.Bytes(Frames.ModbusRtuReadReply));
        });
        await using var client = ModbusClient.OverRtuOverTcp("127.0.0.1", peer.Port, TimeSpan.FromSeconds(5), maySend: () => Volatile.Read(ref allowed));
        var ct = TestContext.Current.CancellationToken;

        var first = client.ReadHoldingRegistersAsync(1, 0, 2, ct);
        while (Volatile.Read(ref seen) == 0) await Task.Delay(10, ct);
        var queued = client.ReadHoldingRegistersAsync(1, 0, 2, ct); // waits its turn behind the first
        Volatile.Write(ref allowed, false);                          // the lease lapses while it waits
        release.Release();

        Assert.Equal(DeviceResultStatus.Ok, (await first).Status);
        Assert.Equal(DeviceResultStatus.NotSent, (await queued).Status);
        Assert.Equal(1, Volatile.Read(ref seen));
        Assert.Equal(1, client.Counters.Requests);

        // Allowed again (the lease taken back), the link sends again.
        Volatile.Write(ref allowed, true);
        Assert.Equal(DeviceResultStatus.Ok, (await client.ReadHoldingRegistersAsync(1, 0, 2, ct)).Status);
        Assert.Equal(2, Volatile.Read(ref seen));
    }
}
