using Prepaid.Devices.Codec;
using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Dlt645;

/// <summary>Finds DL/T 645 frames in a byte stream. A reply answers a request when it is a reply
/// (D7 set) to the same function from the addressed meter; the D7 test also drops the echo of
/// our own request that some half-duplex RS-485 converters return.</summary>
public sealed class Dlt645Format : IFrameFormat
{
    public static Dlt645Format Instance { get; } = new();

    public bool DiscardInputBeforeRequest => true;

    // 0x68 … checksum … 0x16: a rescan re-locks on the next frame whose checksum agrees.
    public bool InvalidFrameLosesSync => false;

    public DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        var result = Dlt645Codec.Decode(buffer);
        consumed = result.Consumed;
        return result.Status;
    }

    public bool IsReplyTo(ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply)
    {
        var q = Dlt645Codec.Decode(request);
        var r = Dlt645Codec.Decode(reply);
        if (!q.IsOk || !r.IsOk)
        {
            return false;
        }
        var (asked, answer) = (q.Frame!, r.Frame!);
        // A wildcard (AA) request is answered with the meter's real address.
        var addressMatches = asked.Address.Contains('A', StringComparison.Ordinal) || asked.Address == answer.Address;
        return answer.IsReply && answer.Function == asked.Function && addressMatches;
    }
}
