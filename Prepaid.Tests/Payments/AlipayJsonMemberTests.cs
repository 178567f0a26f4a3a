using Prepaid.Payments.Alipay;
using Xunit;

namespace Prepaid.Tests.Payments;

public sealed class AlipayJsonMemberTests
{
    private const string Member = "alipay_trade_query_response";

    [Fact]
    public void TryExtractObject_Simple_ReturnsExactText()
    {
        const string raw = """{"alipay_trade_query_response":{"code":"10000","msg":"Success"},"sign":"abc"}""";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("""{"code":"10000","msg":"Success"}""", text);
    }

    [Fact]
    public void TryExtractObject_KeepsSpacingAndEscapesVerbatim()
    {
        const string raw = "{\"alipay_trade_query_response\" : { \"code\" : \"10000\", \"url\":\"a\\/b\", \"n\":1.50 } ,\"sign\":\"x\"}";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("{ \"code\" : \"10000\", \"url\":\"a\\/b\", \"n\":1.50 }", text);
    }

    [Fact]
    public void TryExtractObject_NestedObjectsAndArrays()
    {
        const string raw = """{"sign":"x","alipay_trade_query_response":{"a":{"b":{"c":[{"d":1},{}]}},"e":"f"},"z":{}}""";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("""{"a":{"b":{"c":[{"d":1},{}]}},"e":"f"}""", text);
    }

    [Fact]
    public void TryExtractObject_BracesInsideStrings_AreNotCounted()
    {
        const string raw = """{"alipay_trade_query_response":{"subject":"}}{ {\"","code":"10000"},"sign":"x"}""";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("""{"subject":"}}{ {\"","code":"10000"}""", text);
    }

    [Fact]
    public void TryExtractObject_EscapedQuotesAndBackslashes()
    {
        // "a\\" ends in an escaped backslash, so its closing quote is real; "b\"}" is one string.
        const string raw = """{"alipay_trade_query_response":{"x":"a\\","y":"b\"}","z":"\\\"{"},"sign":"s"}""";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("""{"x":"a\\","y":"b\"}","z":"\\\"{"}""", text);
    }

    [Fact]
    public void TryExtractObject_NameOnlyAsValueOrNested_IsNotMatched()
    {
        const string raw = """{"note":"alipay_trade_query_response","inner":{"alipay_trade_query_response":{"code":"1"}},"sign":"x"}""";

        Assert.False(AlipayJsonMember.TryExtractObject(raw, Member, out _));
    }

    [Fact]
    public void TryExtractObject_AfterDecoyMember_FindsTheRealOne()
    {
        const string raw = """{"inner":{"alipay_trade_query_response":{"code":"1"}},"alipay_trade_query_response":{"code":"10000"}}""";

        Assert.True(AlipayJsonMember.TryExtractObject(raw, Member, out var text));
        Assert.Equal("""{"code":"10000"}""", text);
    }

    [Theory]
    [InlineData("""{"alipay_trade_query_response":{"code":"10000" """)]
    [InlineData("""{"alipay_trade_query_response":{"code":"10000}""")]
    [InlineData("""{"alipay_trade_query_response":"text"}""")]
    [InlineData("")]
    public void TryExtractObject_TruncatedOrNotAnObject_Fails(string raw)
    {
        Assert.False(AlipayJsonMember.TryExtractObject(raw, Member, out _));
    }
}
