using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Prepaid.Api.Payments;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class RsaKeysTests
{
    private const string Message = "probe";

    // Theory data names the form, not the key: discovery may run in another process, where
    // TestKeys would generate a different key.
    [Theory]
    [InlineData("pkcs8-pem")]
    [InlineData("pkcs1-pem")]
    [InlineData("pkcs8-bare")]
    [InlineData("pkcs1-bare")]
    public void ImportPrivateKey_EveryPastedForm_SignsLikeTheOriginal(string form)
    {
        var pasted = form switch
        {
            "pkcs8-pem" => TestKeys.Merchant.ExportPkcs8PrivateKeyPem(),
            "pkcs1-pem" => TestKeys.Merchant.ExportRSAPrivateKeyPem(),
            "pkcs8-bare" => TestKeys.Bare(TestKeys.Merchant.ExportPkcs8PrivateKeyPem()),
            _ => TestKeys.Bare(TestKeys.Merchant.ExportRSAPrivateKeyPem()),
        };
        using var key = RsaKeys.ImportPrivateKey(pasted);
        Assert.Equal(RsaSha256.Sign(TestKeys.Merchant, Message), RsaSha256.Sign(key, Message));
    }

    [Theory]
    [InlineData("spki-pem")]
    [InlineData("pkcs1-pem")]
    [InlineData("spki-bare")]
    public void ImportPublicKey_EveryPastedForm_Verifies(string form)
    {
        var pasted = form switch
        {
            "spki-pem" => TestKeys.Merchant.ExportSubjectPublicKeyInfoPem(),
            "pkcs1-pem" => TestKeys.Merchant.ExportRSAPublicKeyPem(),
            _ => TestKeys.Bare(TestKeys.Merchant.ExportSubjectPublicKeyInfoPem()),
        };
        using var key = RsaKeys.ImportPublicKey(pasted);
        Assert.True(RsaSha256.Verify(key, Message, RsaSha256.Sign(TestKeys.Merchant, Message)));
    }

    [Fact]
    public void ImportPublicKey_Certificate_UsesItsKey()
    {
        var request = new CertificateRequest("CN=Tenpay.com Root CA", TestKeys.Merchant, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = ManualClock.Start;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var key = RsaKeys.ImportPublicKey(certificate.ExportCertificatePem());
        Assert.True(RsaSha256.Verify(key, Message, RsaSha256.Sign(TestKeys.Merchant, Message)));
    }

    [Fact]
    public void ImportPrivateKey_NotAKey_Throws()
    {
        Assert.ThrowsAny<CryptographicException>(() => RsaKeys.ImportPrivateKey("this is not a key"));
    }
}
