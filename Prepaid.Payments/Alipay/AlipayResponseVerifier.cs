using System.Security.Cryptography;
using System.Text.Json;

namespace Prepaid.Payments.Alipay;

/// <summary>
/// Checks an OpenAPI answer: the signature covers the raw text of the
/// <c>&lt;method with _ for .&gt;_response</c> member, and success is <c>code == "10000"</c>.
/// </summary>
public static class AlipayResponseVerifier
{
    public const string SuccessCode = "10000";

    /// <summary>The verified response member, or an exception that says why not.</summary>
    public static JsonElement Verify(string rawBody, string method, RSA alipayPublicKey)
    {
        var memberName = method.Replace('.', '_') + "_response";
        string? sign;
        try
        {
            using var document = JsonDocument.Parse(rawBody);
            sign = document.RootElement.TryGetProperty("sign", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new AlipayResponseException($"{method}: the answer is not JSON.", e);
        }

        // Gateway-level failures (bad app id, bad signature of ours) come as error_response and
        // may be unsigned; they can only ever be reported as failures, never credit anything.
        if (!AlipayJsonMember.TryExtractObject(rawBody, memberName, out var memberText)
            && !AlipayJsonMember.TryExtractObject(rawBody, "error_response", out memberText))
        {
            throw new AlipayResponseException($"{method}: no {memberName} in the answer.");
        }

        var member = JsonDocument.Parse(memberText).RootElement.Clone();
        var code = member.TryGetProperty("code", out var c) ? c.GetString() : null;
        var signed = sign is not null && IsSignedBy(alipayPublicKey, memberText, sign);

        if (code == SuccessCode)
        {
            // Success is the only answer we act on, so it is the one that must carry a good signature.
            return signed
                ? member
                : throw new AlipayResponseException($"{method}: the success answer's signature does not verify.");
        }

        if (sign is not null && !signed)
        {
            throw new AlipayResponseException($"{method}: the failure answer's signature does not verify.");
        }
        throw new AlipayBusinessException(method, code ?? "",
            Text(member, "msg"), Text(member, "sub_code"), Text(member, "sub_msg"));
    }

    private static bool IsSignedBy(RSA key, string memberText, string sign)
    {
        if (AlipaySignature.Verify(key, memberText, sign))
        {
            return true;
        }
        // Some gateway front ends escape '/' as "\/" after signing; the SDKs retry unescaped.
        return memberText.Contains(@"\/", StringComparison.Ordinal)
            && AlipaySignature.Verify(key, memberText.Replace(@"\/", "/", StringComparison.Ordinal), sign);
    }

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
