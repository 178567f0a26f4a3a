using System.Security.Cryptography;

namespace Prepaid.Payments.WeChatPay;

/// <summary>The WeChat Pay verification keys, chosen per message by its <c>Wechatpay-Serial</c>.</summary>
public sealed class WeChatPayPlatformKeys
{
    public const string PublicKeyIdPrefix = "PUB_KEY_ID_";

    private readonly Dictionary<string, RSA> keys;

    public WeChatPayPlatformKeys(IReadOnlyDictionary<string, string> pemBySerial)
    {
        // Certificate serials are hex and appear in either case in consoles and headers.
        keys = new Dictionary<string, RSA>(StringComparer.OrdinalIgnoreCase);
        foreach (var (serial, pem) in pemBySerial)
        {
            keys[serial] = RsaKeys.ImportPublicKey(pem);
        }
    }

    public bool TryGet(string serial, out RSA key) => keys.TryGetValue(serial, out key!);

    /// <summary>Whether the serial names the WeChat Pay public key rather than a platform certificate.</summary>
    public static bool IsPublicKeyId(string serial) =>
        serial.StartsWith(PublicKeyIdPrefix, StringComparison.Ordinal);
}
