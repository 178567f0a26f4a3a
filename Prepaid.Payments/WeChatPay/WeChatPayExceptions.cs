using System.Net;

namespace Prepaid.Payments.WeChatPay;

/// <summary>WeChat Pay refused the call (4xx/5xx with <c>{"code","message"}</c>).</summary>
public sealed class WeChatPayBusinessException(HttpStatusCode status, string code, string? message)
    : Exception($"WeChat Pay {(int)status} {code}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>e.g. <c>ORDER_NOT_EXIST</c>, <c>ORDERPAID</c>, <c>NOT_ENOUGH</c>.</summary>
    public string Code { get; } = code;
    public string? ErrorMessage { get; } = message;
}

/// <summary>
/// A success answer that cannot be trusted (bad or missing signature, unexpected shape). Never act
/// on it; treat the outcome as unknown and query again later.
/// </summary>
public sealed class WeChatPayResponseException(string message, WeChatPayRejection? rejection = null, Exception? inner = null)
    : Exception(message, inner)
{
    public WeChatPayRejection? Rejection { get; } = rejection;
}
