using CsCheck;
using Prepaid.Devices.Cjt188;
using Prepaid.Devices.Codec;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Cjt188;

[Collection(CpuHeavyCollection.Name)]
public class Cjt188DecoderPropertyTests
{
    private static readonly Gen<byte[]> ValidFrame =
        from type in Gen.Byte
        from address in Gen.ULong[0, 99_999_999_999_999]
        from control in Gen.Byte
        from data in Gen.Byte.Array[3, 100]
        select Cjt188Codec.Encode(new Cjt188Frame(type, address.ToString("D14"), control, data));

    [Fact]
    public void Decode_MalformedInput_NeverThrowsAndNeverAcceptsBadChecksum()
    {
        // CS is second from the end, L at offset 10.
        Malformed.Inputs(ValidFrame, checksumOffsetFromEnd: 2, lengthOffset: 10).Sample(input =>
        {
            var (kind, bytes) = input;
            if (kind == Malformed.Kind.FlippedChecksum)
            {
                Assert.NotEqual(DecodeStatus.Ok, Cjt188Codec.Decode(bytes).Status);
            }
            Malformed.DecodeAll<Cjt188Frame>(bytes, b => Cjt188Codec.Decode(b), (frame, raw) =>
            {
                Assert.True(Malformed.SumMatches(Malformed.SkipPreamble(raw)), Hex.Format(raw));
                foreach (var options in new[] { Cjt188Options.Default, Cjt188Options.HighBitStatus with { ReadDiOrder = Cjt188DiOrder.HighByteFirst, ValveDiOrder = Cjt188DiOrder.LowByteFirst, ValveControlCode = 0x2A } })
                {
                    Cjt188Read.ParseReply(frame, options);
                    Cjt188Valve.ParseReply(frame, options);
                    Cjt188Valve.TryParseRequest(frame, options);
                }
            });
        }, iter: Malformed.Iterations);
    }
}
