using System.Security.Cryptography;
using System.Text;
using Prepaid.Payments.WeChatPay;
using Xunit;

namespace Prepaid.Tests.Payments;

public sealed class WeChatPayAesGcmTests
{
    private const string Key = "0123456789abcdefghijklmnopqrstuv";
    private const string Nonce = "4xQ7bR2mK9pZ";
    private const string Ad = "transaction";
    private const string Plain = """{"out_trade_no":"PP20261123000001","trade_state":"SUCCESS","amount":{"total":9500}}""";

    // Computed outside .NET, with Python's cryptography 48 (OpenSSL) AESGCM(key).encrypt(nonce, plain, ad).
    private const string Vector =
        "KYBqpzmGRg77/mJSxtDUaOYf7ZJb/NDqETm8HONqGZfv2S5NEYionSitdTyH7dvT6ejhimFQZLqDzshnaKrvCmr55N76oxOTD1wor6jlvV7h+WCLudjEbSYxrxZdhHnabNSi";

    [Fact]
    public void TryDecrypt_IndependentVector_GivesPlaintext()
    {
        Assert.Equal(Plain, WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, Vector));
    }

    [Fact]
    public void TryDecrypt_SealedWithAesGcmInTest_GivesPlaintext()
    {
        Assert.Equal(Plain, WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, Seal(Key, Nonce, Ad, Plain)));
    }

    [Fact]
    public void Encrypt_MatchesIndependentVector()
    {
        Assert.Equal(Vector, WeChatPayAesGcm.Encrypt(Key, Nonce, Ad, Plain));
    }

    [Fact]
    public void TryDecrypt_TamperedTag_Fails()
    {
        var sealedBytes = Convert.FromBase64String(Vector);
        sealedBytes[^1] ^= 0x01;

        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, Convert.ToBase64String(sealedBytes)));
    }

    [Fact]
    public void TryDecrypt_TamperedCiphertext_Fails()
    {
        var sealedBytes = Convert.FromBase64String(Vector);
        sealedBytes[0] ^= 0x01;

        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, Convert.ToBase64String(sealedBytes)));
    }

    [Theory]
    [InlineData("refund")]
    [InlineData("")]
    public void TryDecrypt_OtherAssociatedData_Fails(string ad)
    {
        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, Nonce, ad, Vector));
    }

    [Fact]
    public void TryDecrypt_OtherNonceOrKey_Fails()
    {
        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, "4xQ7bR2mK9pY", Ad, Vector));
        Assert.Null(WeChatPayAesGcm.TryDecrypt("0123456789abcdefghijklmnopqrstuV", Nonce, Ad, Vector));
    }

    [Fact]
    public void TryDecrypt_EmptyAssociatedData_SameAsNone()
    {
        var sealedText = Seal(Key, Nonce, "", Plain);

        Assert.Equal(Plain, WeChatPayAesGcm.TryDecrypt(Key, Nonce, null, sealedText));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789abcdefghijklmnopqrstuvw")]
    public void TryDecrypt_KeyNot32Characters_IsAConfigurationError(string key)
    {
        Assert.Throws<ArgumentException>(() => WeChatPayAesGcm.TryDecrypt(key, Nonce, Ad, Vector));
    }

    [Fact]
    public void TryDecrypt_NotBase64OrTooShort_Fails()
    {
        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, "%%%"));
        Assert.Null(WeChatPayAesGcm.TryDecrypt(Key, Nonce, Ad, Convert.ToBase64String(new byte[15])));
    }

    // Base64(cipher ‖ tag), written with AesGcm directly as the brief asks.
    private static string Seal(string key, string nonce, string ad, string plain)
    {
        var p = Encoding.UTF8.GetBytes(plain);
        var cipher = new byte[p.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(Encoding.ASCII.GetBytes(key), 16);
        aes.Encrypt(Encoding.ASCII.GetBytes(nonce), p, cipher, tag, Encoding.UTF8.GetBytes(ad));
        return Convert.ToBase64String([.. cipher, .. tag]);
    }
}
