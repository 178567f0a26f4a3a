using Prepaid.Devices.Codec;
using Prepaid.Devices.Transport;

namespace Prepaid.Devices.Cjt188;

/// <summary>Finds CJ/T 188 frames in a byte stream. A reply answers a request when it is a reply
/// to the same function from the addressed meter and echoes the request's SER, which tells a late
/// reply to an earlier read from the answer to this one.</summary>
public sealed class Cjt188Format : IFrameFormat
{
    public static Cjt188Format Instance { get; } = new();

    public bool DiscardInputBeforeRequest => true;

    // 0x68 … checksum … 0x16: a rescan re-locks on the next frame whose checksum agrees.
    public bool InvalidFrameLosesSync => false;

    public DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed)
    {
        var result = Cjt188Codec.Decode(buffer);
        consumed = result.Consumed;
        return result.Status;
    }

    public bool IsReplyTo(ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply)
    {
        var q = Cjt188Codec.Decode(request);
        var r = Cjt188Codec.Decode(reply);
        if (!q.IsOk || !r.IsOk)
        {
            return false;
        }
        var (asked, answer) = (q.Frame!, r.Frame!);
        var addressMatches = asked.Address.Contains('A', StringComparison.Ordinal) || asked.Address == answer.Address;
        // Short error replies carry SER first (SER ST0 ST1); all others DI DI SER.
        var serial = answer.IsErrorReply && answer.Data.Length == 3 ? answer.Data[0] : answer.Data[2];
        return answer.IsReply && answer.Function == asked.Function && addressMatches && serial == asked.Data[2];
    }
}
