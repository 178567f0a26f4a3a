using System.IO.Ports;

namespace Prepaid.Devices.Transport;

/// <summary>Serial settings. DL/T 645 and CJ/T 188 meters default to 2400 8E1; Modbus meters
/// commonly ship 9600 8N1.</summary>
public sealed record SerialSettings(string PortName, int BaudRate = 9600, Parity Parity = Parity.None,
    int DataBits = 8, StopBits StopBits = StopBits.One)
{
    /// <summary>Half-bits per character on the wire (start + data + parity + stop), in halves so
    /// 1.5 stop bits stay an integer.</summary>
    public int HalfBitsPerCharacter => 2 * (1 + DataBits + (Parity == Parity.None ? 0 : 1)) + StopBits switch
    {
        StopBits.Two => 4,
        StopBits.OnePointFive => 3,
        _ => 2,
    };

    /// <summary>Modbus t3.5: 3.5 character times, fixed at 1.75 ms above 19200 Bd (serial-line guide).</summary>
    public TimeSpan InterFrameGap => BaudRate > 19200
        ? TimeSpan.FromMicroseconds(1750)
        // 3.5 chars × (half-bits / 2) = 7 × half-bits / 4 bit times.
        : TimeSpan.FromTicks(7L * HalfBitsPerCharacter * TimeSpan.TicksPerSecond / (4L * BaudRate));
}

/// <summary>An RS-485/RS-232 link through System.IO.Ports. Frames are delimited by length and
/// checksum, not by the t3.5 silence, which a desktop OS cannot time reliably.</summary>
public sealed class SerialFrameTransport(SerialSettings settings, IFrameFormat format, TimeProvider? time = null)
    : StreamFrameTransport(format, time)
{
    private SerialPort? _port;

    protected override TimeSpan IdleBeforeRequest => settings.InterFrameGap;

    protected override Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var port = new SerialPort(settings.PortName, settings.BaudRate, settings.Parity, settings.DataBits, settings.StopBits);
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }
        _port = port;
        return Task.FromResult(port.BaseStream);
    }

    protected override int DiscardPendingInput()
    {
        if (_port is not { IsOpen: true } port)
        {
            return 0;
        }
        var pending = port.BytesToRead;
        port.DiscardInBuffer();
        return pending;
    }

    protected override void CloseLink()
    {
        _port?.Dispose();
        _port = null;
    }
}
