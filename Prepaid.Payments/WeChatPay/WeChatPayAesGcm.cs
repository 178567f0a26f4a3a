using System.Security.Cryptography;
using System.Text;

namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// AEAD_AES_256_GCM as WeChat Pay uses it for notification resources: key = the APIv3 key's
/// 32 ASCII bytes, nonce = 12 ASCII characters, ciphertext = Base64(cipher ‖ 16-byte tag).
/// </summary>
public static class WeChatPayAesGcm
{
    public const int TagSize = 16;
    public const int NonceSize = 12;

    /// <summary>The plaintext, or null when the key, nonce, associated data or tag do not match.</summary>
    public static string? TryDecrypt(string apiV3Key, string nonce, string? associatedData, string ciphertextBase64)
    {
        var key = KeyBytes(apiV3Key);
        var nonceBytes = Encoding.ASCII.GetBytes(nonce);
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(ciphertextBase64);
        }
        catch (FormatException)
        {
            return null;
        }
        if (nonceBytes.Length != NonceSize || sealedBytes.Length < TagSize)
        {
            return null;
        }

        var cipher = sealedBytes.AsSpan(0, sealedBytes.Length - TagSize);
        var tag = sealedBytes.AsSpan(sealedBytes.Length - TagSize);
        var plain = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonceBytes, cipher, tag, plain, Encoding.UTF8.GetBytes(associatedData ?? ""));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The inverse, for the fake gateway and for tests.</summary>
    public static string Encrypt(string apiV3Key, string nonce, string? associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + TagSize];
        using var aes = new AesGcm(KeyBytes(apiV3Key), TagSize);
        aes.Encrypt(Encoding.ASCII.GetBytes(nonce), plain,
            sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length),
            Encoding.UTF8.GetBytes(associatedData ?? ""));
        return Convert.ToBase64String(sealedBytes);
    }

    private static byte[] KeyBytes(string apiV3Key)
    {
        var key = Encoding.ASCII.GetBytes(apiV3Key);
        // A wrong-length key is a configuration error, not a bad message: fail loudly.
        return key.Length == 32 && apiV3Key.All(char.IsAscii)
            ? key
            : throw new ArgumentException("The APIv3 key must be 32 ASCII characters.", nameof(apiV3Key));
    }
}
