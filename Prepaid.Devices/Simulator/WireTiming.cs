namespace Prepaid.Devices.Simulator;

/// <summary>Optional RS-485 timing for a simulated gateway, so clients meet realistic latency:
/// every byte costs 10 bit times (8N1) and the meter adds a turnaround before answering.</summary>
/// <remarks>Both the request and the reply cross the bus, so both are counted; protocols-notes §7.1
/// tabulates the same figures. The delay runs in real time, not on the meters' TimeProvider: it
/// shapes socket latency, while the meters' clock drives their registers.</remarks>
public sealed record WireTiming(int BaudRate, int TurnaroundMs)
{
    public TimeSpan DelayFor(int requestBytes, int replyBytes) =>
        TimeSpan.FromTicks((requestBytes + replyBytes) * 10L * TimeSpan.TicksPerSecond / BaudRate)
        + TimeSpan.FromMilliseconds(TurnaroundMs);
}
