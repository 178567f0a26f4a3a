using Prepaid.Devices.Codec;

namespace Prepaid.Devices.Transport;

/// <summary>How a byte-stream transport finds reply frames and tells which request they answer.</summary>
public interface IFrameFormat
{
    /// <summary>Looks for one frame at the start of <paramref name="buffer"/>: NeedMore, Invalid
    /// (drop <c>Consumed</c> bytes to resynchronise) or Ok (the frame is the first <c>Consumed</c> bytes).</summary>
    DecodeStatus Scan(ReadOnlySpan<byte> buffer, out int consumed);

    /// <summary>True when <paramref name="reply"/> answers <paramref name="request"/>; anything else
    /// (a late reply to an earlier request, an echo on a half-duplex line) is discarded.</summary>
    bool IsReplyTo(ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply);

    /// <summary>True for protocols without a transaction id, where bytes already waiting before a
    /// request can only be leftovers of an earlier, timed-out exchange.</summary>
    bool DiscardInputBeforeRequest { get; }

    /// <summary>True for framings without a sync marker (Modbus TCP's MBAP): an invalid header means the stream's
    /// frame boundaries are lost, and dropping one byte to rescan would find "frames" inside payloads. The transport
    /// then discards its buffer and reopens the link instead.</summary>
    bool InvalidFrameLosesSync { get; }
}
