using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Prepaid.Payments;

/// <summary>
/// Loads RSA keys from the shapes merchants actually paste into configuration: PEM (PKCS#1 or
/// PKCS#8, SPKI or an X.509 certificate) or the bare Base64 that the Alipay console shows.
/// </summary>
public static class RsaKeys
{
    public static RSA ImportPrivateKey(string pemOrBase64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pemOrBase64);
        var rsa = RSA.Create();
        if (pemOrBase64.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            // ImportFromPem understands both "PRIVATE KEY" (PKCS#8) and "RSA PRIVATE KEY" (PKCS#1).
            rsa.ImportFromPem(pemOrBase64);
            return rsa;
        }

        // Console keys come without a header, so the container is unknown: the console hands out
        // PKCS#8, older tools PKCS#1. Try both rather than make the operator re-wrap by hand.
        var der = DecodeBare(pemOrBase64);
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPrivateKey(der, out _);
        }
        return rsa;
    }

    public static RSA ImportPublicKey(string pemOrBase64)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pemOrBase64);
        if (pemOrBase64.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            // WeChat Pay platform certificates are configured as certificates; only the key matters.
            using var certificate = X509Certificate2.CreateFromPem(pemOrBase64);
            return certificate.GetRSAPublicKey()
                ?? throw new CryptographicException("The certificate does not hold an RSA key.");
        }

        var rsa = RSA.Create();
        if (pemOrBase64.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(pemOrBase64);
            return rsa;
        }

        var der = DecodeBare(pemOrBase64);
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPublicKey(der, out _);
        }
        return rsa;
    }

    // Pasted keys often carry line breaks or spaces from the console's text box.
    private static byte[] DecodeBare(string base64)
    {
        var compact = string.Concat(base64.Where(c => !char.IsWhiteSpace(c)));
        try
        {
            return Convert.FromBase64String(compact);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The key is neither PEM nor Base64.", e);
        }
    }
}
