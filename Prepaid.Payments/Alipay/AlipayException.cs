namespace Prepaid.Payments.Alipay;

/// <summary>Alipay answered, verifiably, that the call failed (code other than 10000).</summary>
public sealed class AlipayBusinessException(string method, string code, string? msg, string? subCode, string? subMsg)
    : Exception($"{method} failed: {code} {msg} {subCode} {subMsg}".TrimEnd())
{
    public string Method { get; } = method;
    public string Code { get; } = code;
    public string? Msg { get; } = msg;

    /// <summary>The actionable part, e.g. <c>ACQ.TRADE_NOT_EXIST</c> for a trade never scanned.</summary>
    public string? SubCode { get; } = subCode;
    public string? SubMsg { get; } = subMsg;
}

/// <summary>
/// The answer cannot be trusted: bad signature, missing member, not JSON, HTTP error. Never act on
/// it; treat the call's outcome as unknown and query again later.
/// </summary>
public sealed class AlipayResponseException(string message, Exception? inner = null) : Exception(message, inner);
