using CsCheck;
using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Dlt645;

[Collection(CpuHeavyCollection.Name)]
public class Dlt645DecoderPropertyTests
{
    private static readonly Gen<byte[]> ValidFrame =
        from address in Gen.ULong[0, 999_999_999_999]
        from control in Gen.Byte
        from data in Gen.Byte.Array[0, 200]
        select Dlt645Codec.Encode(new Dlt645Frame(address.ToString("D12"), control, data), preambleLength: 0);

    [Fact]
    public void Decode_MalformedInput_NeverThrowsAndNeverAcceptsBadChecksum()
    {
        // Without preamble: CS is second from the end, L at offset 9.
        Malformed.Inputs(ValidFrame, checksumOffsetFromEnd: 2, lengthOffset: 9).Sample(input =>
        {
            var (kind, bytes) = input;
            if (kind == Malformed.Kind.FlippedChecksum)
            {
                Assert.NotEqual(DecodeStatus.Ok, Dlt645Codec.Decode(bytes).Status);
            }
            Malformed.DecodeAll<Dlt645Frame>(bytes, b => Dlt645Codec.Decode(b), (frame, raw) =>
            {
                Assert.True(Malformed.SumMatches(Malformed.SkipPreamble(raw)), Hex.Format(raw));
                // Message parsers must be as robust as the frame decoder.
                Dlt645Read.ParseReply(frame, Dlt645DataIds.ForwardActiveTotal);
                Dlt645Relay.ParseReply(frame);
                Dlt645Relay.TryParseRequest(frame);
            });
        }, iter: Malformed.Iterations);
    }

    [Fact]
    public void Encode_Decode_RoundTrips()
    {
        ValidFrame.Sample(bytes =>
        {
            var result = Dlt645Codec.Decode(bytes);
            Assert.Equal(DecodeStatus.Ok, result.Status);
            Assert.Equal(bytes, Dlt645Codec.Encode(result.Frame!, 0));
        }, iter: 10_000);
    }
}
