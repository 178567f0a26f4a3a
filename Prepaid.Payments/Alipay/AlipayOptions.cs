namespace Prepaid.Payments.Alipay;

/// <summary>
/// One Alipay application. Every value comes from configuration (user secrets, environment),
/// never from the repository.
/// </summary>
public sealed record AlipayOptions
{
    public const string ProductionGateway = "https://openapi.alipay.com/gateway.do";

    public required string AppId { get; init; }

    /// <summary>The app's private key: PEM (PKCS#1 or PKCS#8) or the bare Base64 the console shows.</summary>
    public required string AppPrivateKey { get; init; }

    /// <summary>Alipay's public key (not the app's): it checks responses and notifications.</summary>
    public required string AlipayPublicKey { get; init; }

    public Uri GatewayUrl { get; init; } = new(ProductionGateway);

    public required string NotifyUrl { get; init; }

    /// <summary>The merchant's PID (2088…): a notification for another seller is not ours.</summary>
    public required string SellerId { get; init; }
}
