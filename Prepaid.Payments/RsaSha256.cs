using System.Security.Cryptography;
using System.Text;

namespace Prepaid.Payments;

/// <summary>SHA256withRSA (PKCS#1 v1.5) over UTF-8, Base64 signatures: what both channels call RSA2.</summary>
public static class RsaSha256
{
    public static string Sign(RSA privateKey, string message) =>
        Sign(privateKey, Encoding.UTF8.GetBytes(message));

    public static string Sign(RSA privateKey, byte[] message) =>
        Convert.ToBase64String(
            privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA publicKey, string message, string? signatureBase64) =>
        Verify(publicKey, Encoding.UTF8.GetBytes(message), signatureBase64);

    public static bool Verify(RSA publicKey, byte[] message, string? signatureBase64)
    {
        if (string.IsNullOrEmpty(signatureBase64))
        {
            return false;
        }

        // A signature that is not even Base64 is just a bad signature, not an exceptional event:
        // forged notifications must end in a recorded "rejected", never a 500.
        var signature = new byte[signatureBase64.Length];
        if (!Convert.TryFromBase64String(signatureBase64, signature, out var written))
        {
            return false;
        }

        return publicKey.VerifyData(
            message, signature.AsSpan(0, written), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
