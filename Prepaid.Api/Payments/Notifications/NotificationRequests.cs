using Prepaid.Payments.Alipay;
using Prepaid.Payments.WeChatPay;

namespace Prepaid.Api.Payments.Notifications;

/// <summary>The channels' verifiers read plain fields and bytes; this is where an ASP.NET Core request becomes them.</summary>
public static class NotificationRequests
{
    /// <summary>Takes <c>Request.Form</c> as is: its values are already form-decoded once.</summary>
    public static AlipayNotificationResult Verify(this AlipayNotificationVerifier verifier, IFormCollection form)
    {
        if (form.Any(f => f.Value.Count > 1))
        {
            return AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed, "A field is repeated.");
        }
        return verifier.Verify(form.Select(f => KeyValuePair.Create(f.Key, f.Value.ToString())));
    }

    public static WeChatPayHeaders WeChatHeaders(IHeaderDictionary headers) =>
        new(headers[WeChatPayHeaders.TimestampName].ToString(), headers[WeChatPayHeaders.NonceName].ToString(),
            headers[WeChatPayHeaders.SignatureName].ToString(), headers[WeChatPayHeaders.SerialName].ToString());

    /// <summary>Reads the body as bytes itself: model binding would lose the exact text signed.</summary>
    public static async Task<WeChatPayNotificationResult> VerifyAsync(this WeChatPayNotificationVerifier verifier, HttpRequest request,
        CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return verifier.Verify(WeChatHeaders(request.Headers), buffer.ToArray());
    }
}
