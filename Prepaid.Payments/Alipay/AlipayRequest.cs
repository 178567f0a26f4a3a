using System.Text;

namespace Prepaid.Payments.Alipay;

/// <summary>A signed OpenAPI call: the exact parameters, <c>sign</c> included, ready to send.</summary>
public sealed record AlipayRequest(string Method, IReadOnlyDictionary<string, string> Parameters)
{
    public FormUrlEncodedContent ToFormContent() => new(Parameters);

    /// <summary>The GET form, used for wap.pay where the phone's browser carries the request.</summary>
    public Uri ToUrl(Uri gateway) => new(gateway.GetLeftPart(UriPartial.Path) + "?" + ToQueryString());

    /// <summary>
    /// The parameters URL-encoded and joined by <c>&amp;</c>: the app.pay "order string" the
    /// Alipay app SDK takes, and the query of <see cref="ToUrl"/>.
    /// </summary>
    public string ToQueryString()
    {
        var query = new StringBuilder();
        foreach (var (key, value) in Parameters)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }
            query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }
}
