using System.Security.Cryptography;

namespace Prepaid.Tests.Payments;

/// <summary>
/// RSA keys generated once per test run. Nothing secret is committed: every key the tests and
/// the fakes use is made here or inside the fakes at run time.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> app = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> other = new(() => RSA.Create(2048));

    /// <summary>Plays the Alipay app key and the WeChat Pay merchant API key.</summary>
    public static RSA Merchant => app.Value;

    /// <summary>A key nobody trusts: forgeries are signed with it.</summary>
    public static RSA Stranger => other.Value;

    public static string MerchantPrivatePkcs8 => Merchant.ExportPkcs8PrivateKeyPem();
    public static string MerchantPublic => Merchant.ExportSubjectPublicKeyInfoPem();

    /// <summary>The Base64 body of a PEM, as the Alipay console shows keys: no header, no breaks.</summary>
    public static string Bare(string pem) => string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----")).Select(l => l.Trim()));
}
