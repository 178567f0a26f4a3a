namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// One WeChat Pay merchant. Every value comes from configuration (user secrets, environment),
/// never from the repository.
/// </summary>
public sealed record WeChatPayOptions
{
    public const string ProductionBaseUrl = "https://api.mch.weixin.qq.com";

    public required string MchId { get; init; }

    /// <summary>The official account or mini program the tenant pays inside.</summary>
    public required string AppId { get; init; }

    /// <summary>The merchant API private key (apiclient_key.pem), PKCS#8 or PKCS#1.</summary>
    public required string MerchantPrivateKey { get; init; }

    /// <summary>Serial of the merchant API certificate, sent as <c>serial_no</c>.</summary>
    public required string MerchantCertificateSerial { get; init; }

    /// <summary>The 32-character APIv3 key; its ASCII bytes are the AES-256-GCM key.</summary>
    public required string ApiV3Key { get; init; }

    /// <summary>
    /// WeChat Pay's verification keys by serial: <c>PUB_KEY_ID_…</c> for the WeChat Pay public key,
    /// certificate serials for platform certificates. Several at once, because rotation and the
    /// migration to the public key overlap for days. Values are PEM keys or certificates.
    /// </summary>
    public required IReadOnlyDictionary<string, string> PlatformPublicKeys { get; init; }

    public Uri BaseUrl { get; init; } = new(ProductionBaseUrl);

    /// <summary>https, no query string (WeChat Pay drops it).</summary>
    public required string NotifyUrl { get; init; }
}
