using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Prepaid.Api.Payments;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class RsaSha256Tests
{
    private const string Message = "app_id=2021000000000001&biz_content={\"out_trade_no\":\"T1\"}&charset=utf-8";

    [Fact]
    public void Sign_SameMessage_IsDeterministic()
    {
        // PKCS#1 v1.5 has no salt: two signatures of one message are identical (PSS would differ).
        Assert.Equal(RsaSha256.Sign(TestKeys.Merchant, Message), RsaSha256.Sign(TestKeys.Merchant, Message));
    }

    [Fact]
    public void Sign_DecodesToPkcs1v15Sha256Block()
    {
        // Checked by hand with the raw RSA operation, independently of .NET's verify: s^e mod n
        // must be 00 01 FF..FF 00 ‖ DigestInfo(SHA-256) ‖ SHA-256(message), per RFC 8017 §9.2.
        var signature = Convert.FromBase64String(RsaSha256.Sign(TestKeys.Merchant, Message));
        var p = TestKeys.Merchant.ExportParameters(false);
        var block = BigInteger.ModPow(Unsigned(signature), Unsigned(p.Exponent!), Unsigned(p.Modulus!))
            .ToByteArray(isUnsigned: true, isBigEndian: true);

        byte[] digestInfo = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
        var tail = digestInfo.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(Message))).ToArray();
        var padding = p.Modulus!.Length - 3 - tail.Length;
        // The leading 00 vanishes in the BigInteger round trip, so the block starts at 01.
        byte[] expected = [0x01, .. Enumerable.Repeat((byte)0xFF, padding), 0x00, .. tail];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(block));
    }

    [Fact]
    public void Verify_OwnSignature_Succeeds()
    {
        var signature = RsaSha256.Sign(TestKeys.Merchant, Message);
        Assert.True(RsaSha256.Verify(TestKeys.Merchant, Message, signature));
    }

    [Fact]
    public void Verify_OneByteChangedInMessage_Fails()
    {
        var signature = RsaSha256.Sign(TestKeys.Merchant, Message);
        var changed = Message.Replace("T1", "T2");
        Assert.False(RsaSha256.Verify(TestKeys.Merchant, changed, signature));
    }

    [Fact]
    public void Verify_OneByteChangedInSignature_Fails()
    {
        var signature = Convert.FromBase64String(RsaSha256.Sign(TestKeys.Merchant, Message));
        signature[17] ^= 0x01;
        Assert.False(RsaSha256.Verify(TestKeys.Merchant, Message, Convert.ToBase64String(signature)));
    }

    [Fact]
    public void Verify_OtherKey_Fails()
    {
        var signature = RsaSha256.Sign(TestKeys.Stranger, Message);
        Assert.False(RsaSha256.Verify(TestKeys.Merchant, Message, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    public void Verify_GarbageSignature_FailsWithoutThrowing(string? signature)
    {
        Assert.False(RsaSha256.Verify(TestKeys.Merchant, Message, signature));
    }

    private static BigInteger Unsigned(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);
}
