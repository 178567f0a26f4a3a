namespace Prepaid.Payments.WeChatPay;

/// <summary>Why a response or notification was refused; stored with the raw message for operators.</summary>
public enum WeChatPayRejection
{
    /// <summary>A Wechatpay-* header is absent or the body is not the expected JSON.</summary>
    Malformed,
    /// <summary>WeChat Pay's <c>WECHATPAY/SIGNTEST/…</c> probe, which must be answered 4xx.</summary>
    SignatureProbe,
    /// <summary>Timestamp more than 300 s from now: a replay, or a clock that needs fixing.</summary>
    StaleTimestamp,
    UnknownSerial,
    /// <summary>Not signed by the key the serial names, or changed after signing.</summary>
    BadSignature,
    DecryptionFailed,
    MchIdMismatch,
    AppIdMismatch,
    OutTradeNoMismatch,
    AmountMismatch,
}
