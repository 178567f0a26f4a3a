using Prepaid.Devices.Codec;
using Prepaid.Devices.Dlt645;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Dlt645;

public class Dlt645RelayTests
{
    private const string Meter = "000000000161";
    private static readonly DateTime ValidUntil = new(2025, 12, 31, 23, 59, 59);

    [Fact]
    public void Request_Trip_MatchesGoldenFrame()
    {
        var frame = Dlt645Relay.Request(Meter, Dlt645RelayAction.Trip, ValidUntil, Dlt645Credentials.Default);
        Assert.Equal(Frames.Bytes(Frames.Dlt645TripRequest), Dlt645Codec.Encode(frame, preambleLength: 0));
    }

    [Fact]
    public void TryParseRequest_GoldenTrip_GivesActionAndTime()
    {
        var frame = Dlt645Codec.Decode(Frames.Bytes(Frames.Dlt645TripRequest)).Frame!;
        var command = Dlt645Relay.TryParseRequest(frame);
        Assert.NotNull(command);
        Assert.Equal(Dlt645RelayAction.Trip, command.Action);
        Assert.Equal(ValidUntil, command.ValidUntil);
        Assert.Equal(Dlt645Credentials.Default, command.Credentials);
    }

    [Fact]
    public void ParseReply_9C_IsOk_And_DC_IsRefused()
    {
        // notes §2.4: 68 A 68 9C 00 CS 16, or 68 A 68 DC 01 ERR CS 16.
        var ok = Dlt645Codec.Decode(Dlt645Codec.Encode(Dlt645Relay.Reply(Meter), 0));
        Assert.Equal(Hex.Parse("68 61 01 00 00 00 00 68 9C 00 CE 16"), Dlt645Codec.Encode(Dlt645Relay.Reply(Meter), 0));
        Assert.Equal(Dlt645ReplyStatus.Ok, Dlt645Relay.ParseReply(ok.Frame!).Status);

        var refused = Dlt645Codec.Decode(Dlt645Codec.Encode(Dlt645Relay.ErrorReply(Meter, Dlt645ErrorFlags.Unauthorised)));
        var reply = Dlt645Relay.ParseReply(refused.Frame!);
        Assert.Equal(Dlt645ReplyStatus.Refused, reply.Status);
        Assert.Equal(Dlt645ErrorFlags.Unauthorised, reply.Error);
    }

    [Theory]
    [InlineData(0x0000, false, false)]
    [InlineData(0x0010, true, false)]
    [InlineData(0x0050, true, true)]
    [InlineData(0x0040, false, true)]
    public void StatusWord3_RelayBits(int raw, bool open, bool commandOpen)
    {
        var word = new Dlt645StatusWord3((ushort)raw);
        Assert.Equal(open, word.RelayOpen);
        Assert.Equal(commandOpen, word.RelayCommandOpen);
    }

    [Fact]
    public void StatusWord_IsLowByteFirst()
    {
        Assert.True(Dlt645Values.TryReadStatusWord(Hex.Parse("10 01"), out var word));
        Assert.Equal(0x0110, word);
        Assert.Equal(1, new Dlt645StatusWord3(word).MeterType);
    }
}
