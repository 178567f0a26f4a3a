using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;

namespace Prepaid.Tests.Devices.Dlt645;

public class Dlt645WriteTests
{
    // Hand-built from §2.2/§2.3: C = 0x14, L = 16, DATA = DI 01 01 05 04 | PA 02 | P 000000 | C 00000000 | 1.0300 as 00 03 01 00,
    // every byte +0x33, CS = sum from the first 68 mod 256 (computed independently of our codec).
    const string WriteTariff1 = "68 61 01 00 00 00 00 68 14 10 34 34 38 37 35 33 33 33 33 33 33 33 33 36 34 33 97 16";

    [Fact]
    public void Request_TariffPrice_MatchesTheHandBuiltFrame()
    {
        var frame = Dlt645Write.Request("000000000161", new Dlt645Parameter(Dlt645Write.TariffPrice(1), 10300), Dlt645Credentials.Default);
        Assert.Equal(Hex.Parse(WriteTariff1), Dlt645Codec.Encode(frame, preambleLength: 0));
    }

    [Fact]
    public void TryParseRequest_RoundTrips_AndReplyParses()
    {
        var parsed = Dlt645Write.TryParseRequest(Dlt645Codec.Decode(Hex.Parse(WriteTariff1)).Frame!);
        Assert.Equal(new Dlt645Parameter(0x0405_0101, 10300), parsed!.Value.Parameter);
        Assert.Equal("000000", parsed.Value.Password);
        Assert.Equal(Dlt645ReplyStatus.Ok, Dlt645Write.ParseReply(Dlt645Write.Reply("000000000161")).Status);
        var refused = Dlt645Write.ParseReply(Dlt645Write.ErrorReply("000000000161", Dlt645ErrorFlags.Unauthorised));
        Assert.Equal(Dlt645ReplyStatus.Refused, refused.Status);
        Assert.Equal(Dlt645ErrorFlags.Unauthorised, refused.Error);
    }

    [Fact]
    public void TryParseRequest_AnyFrame_NeverThrows()
    {
        var random = new Random(14);
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(0, 24)];
            random.NextBytes(data);
            var frame = new Dlt645Frame("000000000161", (byte)random.Next(0, 256), data);
            _ = Dlt645Write.TryParseRequest(frame);
            _ = Dlt645Write.ParseReply(frame);
        }
    }
}
