namespace Prepaid.Api.Payments.Orders;

/// <summary>
/// Where a payer comes back to after paying: only a page of our own phone app (/m/…) on our own origin (the request's,
/// or Prepaid:Payments:PublicOrigin behind a proxy), so an order can never be used to send someone elsewhere. The
/// order's number is added to the address, so the page knows which order to follow whichever way it comes back.
/// </summary>
public static class ReturnUrls
{
    public const string PhonePage = "/m/";

    /// <summary>The address to store and give the channel, or null when it is not ours.</summary>
    public static string? Resolve(string requested, HttpRequest request, string? publicOrigin, string outTradeNo)
    {
        if (!Uri.TryCreate(requested, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return null;
        if (uri.UserInfo.Length > 0 || !uri.AbsolutePath.StartsWith(PhonePage, StringComparison.Ordinal)) return null;
        var origin = uri.GetLeftPart(UriPartial.Authority);
        var ours = new[] { $"{request.Scheme}://{request.Host}", publicOrigin?.TrimEnd('/') };
        if (!ours.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase))) return null;

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        query["outTradeNo"] = outTradeNo;
        return new UriBuilder(uri) { Query = query.ToString(), Fragment = "" }.Uri.AbsoluteUri;
    }
}
