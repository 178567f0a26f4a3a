using System.Security.Cryptography;
using System.Text.Json;

namespace Prepaid.Payments.Alipay;

/// <summary>
/// The Alipay OpenAPI calls the platform needs. Non-success answers throw
/// <see cref="AlipayBusinessException"/>; answers that cannot be trusted throw
/// <see cref="AlipayResponseException"/>.
/// </summary>
public sealed class AlipayClient(HttpClient http, AlipayOptions options, TimeProvider time)
{
    private readonly AlipayRequestBuilder requests = new(options, time);
    private readonly RSA alipayPublicKey = RsaKeys.ImportPublicKey(options.AlipayPublicKey);

    public AlipayRequestBuilder Requests => requests;

    public async Task<AlipayPrecreated> PrecreateAsync(
        string outTradeNo, decimal totalAmountYuan, string subject, CancellationToken ct = default)
    {
        var r = await ExecuteAsync(requests.Precreate(outTradeNo, totalAmountYuan, subject), ct);
        return new AlipayPrecreated(Required(r, "out_trade_no"), Required(r, "qr_code"));
    }

    /// <summary>
    /// The signed gateway URL the phone's browser is redirected to. No call is made: Alipay
    /// creates the trade when the browser arrives.
    /// </summary>
    public Uri WapPayUrl(string outTradeNo, decimal totalAmountYuan, string subject, string? returnUrl = null) =>
        requests.WapPay(outTradeNo, totalAmountYuan, subject, returnUrl).ToUrl(options.GatewayUrl);

    /// <summary>The signed order string a tenant app passes to the Alipay app SDK; no call is made.</summary>
    public string AppPayOrderString(string outTradeNo, decimal totalAmountYuan, string subject) =>
        requests.AppPay(outTradeNo, totalAmountYuan, subject).ToQueryString();

    public async Task<AlipayTrade> QueryAsync(string outTradeNo, CancellationToken ct = default)
    {
        var r = await ExecuteAsync(requests.Query(outTradeNo), ct);
        return new AlipayTrade(
            Required(r, "out_trade_no"),
            AlipayResponseVerifier.Text(r, "trade_no"),
            Required(r, "trade_status"),
            Amount(r, "total_amount"));
    }

    public async Task<AlipayRefund> RefundAsync(
        string outTradeNo, decimal refundAmountYuan, string outRequestNo, string? reason = null,
        CancellationToken ct = default)
    {
        var r = await ExecuteAsync(requests.Refund(outTradeNo, refundAmountYuan, outRequestNo, reason), ct);
        return new AlipayRefund(
            Required(r, "out_trade_no"),
            AlipayResponseVerifier.Text(r, "trade_no"),
            Amount(r, "refund_fee"),
            AlipayResponseVerifier.Text(r, "fund_change") == "Y");
    }

    public async Task CloseAsync(string outTradeNo, CancellationToken ct = default) =>
        await ExecuteAsync(requests.Close(outTradeNo), ct);

    private async Task<JsonElement> ExecuteAsync(AlipayRequest request, CancellationToken ct)
    {
        using var content = request.ToFormContent();
        using var response = await http.PostAsync(options.GatewayUrl, content, ct);
        // Read as text, not as a model: the signature covers these exact characters.
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new AlipayResponseException($"{request.Method}: HTTP {(int)response.StatusCode}.");
        }
        return AlipayResponseVerifier.Verify(body, request.Method, alipayPublicKey);
    }

    private static string Required(JsonElement r, string name) =>
        AlipayResponseVerifier.Text(r, name)
        ?? throw new AlipayResponseException($"The answer has no {name}.");

    private static decimal Amount(JsonElement r, string name) =>
        AlipayAmount.TryParse(Required(r, name), out var yuan)
            ? yuan
            : throw new AlipayResponseException($"The answer's {name} is not an amount.");
}
