using System.Security.Cryptography;
using System.Text;

namespace Prepaid.Payments.Alipay;

/// <summary>
/// The Alipay RSA2 signing string: every parameter but the excluded ones, empty values left out,
/// sorted by key with ordinal comparison, <c>key=value</c> joined by <c>&amp;</c>, values raw.
/// </summary>
public static class AlipaySignature
{
    /// <summary>Requests sign everything but <c>sign</c>; <c>sign_type</c> is included.</summary>
    public static readonly string[] RequestExclusions = ["sign"];

    /// <summary>Notifications leave out <c>sign_type</c> too.</summary>
    public static readonly string[] NotificationExclusions = ["sign", "sign_type"];

    public static string SigningString(
        IEnumerable<KeyValuePair<string, string>> parameters, IReadOnlyCollection<string> exclusions)
    {
        var kept = parameters
            .Where(p => !string.IsNullOrEmpty(p.Value) && !exclusions.Contains(p.Key, StringComparer.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal);

        var builder = new StringBuilder();
        foreach (var (key, value) in kept)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }
            // Raw values: Alipay signs what it decoded, not what was on the wire.
            builder.Append(key).Append('=').Append(value);
        }
        return builder.ToString();
    }

    public static string Sign(RSA privateKey, string signingString) => RsaSha256.Sign(privateKey, signingString);

    public static bool Verify(RSA publicKey, string signingString, string? signature) =>
        RsaSha256.Verify(publicKey, signingString, signature);
}
