using System.Text.Json;

namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// Verifies a notification's signature on the raw body, decrypts its resource with the APIv3 key,
/// and checks it is for this merchant and app. The caller then matches it to its order with
/// <see cref="WeChatPayNotificationResult.ForOrder"/>.
/// </summary>
public sealed class WeChatPayNotificationVerifier(WeChatPayOptions options, TimeProvider time)
{
    private readonly WeChatPaySignatureVerifier signatures =
        new(new WeChatPayPlatformKeys(options.PlatformPublicKeys), time);

    public WeChatPayNotificationResult Verify(WeChatPayHeaders headers, byte[] body)
    {
        var rejection = signatures.Verify(headers, body);
        if (rejection is not null)
        {
            return WeChatPayNotificationResult.Invalid(rejection.Value, $"Signature check failed: {rejection}.");
        }

        string id, eventType, originalType, plaintext;
        try
        {
            using var envelope = JsonDocument.Parse(body);
            var root = envelope.RootElement;
            var resource = root.GetProperty("resource");
            id = WeChatPayTransaction.Text(root, "id") ?? "";
            eventType = WeChatPayTransaction.Text(root, "event_type") ?? "";
            originalType = WeChatPayTransaction.Text(resource, "original_type") ?? "";
            var decrypted = WeChatPayAesGcm.TryDecrypt(options.ApiV3Key,
                WeChatPayTransaction.Text(resource, "nonce") ?? "",
                WeChatPayTransaction.Text(resource, "associated_data"),
                WeChatPayTransaction.Text(resource, "ciphertext") ?? "");
            if (decrypted is null)
            {
                return WeChatPayNotificationResult.Invalid(WeChatPayRejection.DecryptionFailed,
                    "The resource does not decrypt with the APIv3 key.");
            }
            plaintext = decrypted;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return WeChatPayNotificationResult.Invalid(WeChatPayRejection.Malformed, e.Message);
        }

        if (originalType != "transaction")
        {
            return WeChatPayNotificationResult.Valid(new WeChatPayNotification(id, eventType, originalType, plaintext, null));
        }

        WeChatPayTransaction transaction;
        try
        {
            using var doc = JsonDocument.Parse(plaintext);
            transaction = WeChatPayTransaction.Parse(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return WeChatPayNotificationResult.Invalid(WeChatPayRejection.Malformed, e.Message);
        }

        // Genuine and decryptable, but possibly for another merchant or app on a shared endpoint.
        if (!string.Equals(transaction.MchId, options.MchId, StringComparison.Ordinal))
        {
            return WeChatPayNotificationResult.Invalid(WeChatPayRejection.MchIdMismatch, $"mchid {transaction.MchId} is not ours.");
        }
        if (!string.Equals(transaction.AppId, options.AppId, StringComparison.Ordinal))
        {
            return WeChatPayNotificationResult.Invalid(WeChatPayRejection.AppIdMismatch, $"appid {transaction.AppId} is not ours.");
        }
        return WeChatPayNotificationResult.Valid(new WeChatPayNotification(id, eventType, originalType, plaintext, transaction));
    }
}
