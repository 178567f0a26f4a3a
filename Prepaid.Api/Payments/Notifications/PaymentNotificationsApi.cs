using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Payments.Alipay;
using Prepaid.Payments.WeChatPay;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Notifications;

/// <summary>
/// The channels' asynchronous notifications (anonymous: the signature is the authentication) and the operators' view
/// of every one received. Each is stored raw with its verification outcome before it is acted on.
/// </summary>
public static class PaymentNotificationsApi
{
    public const string AlipayPath = "/api/payments/alipay/notify";
    public const string WeChatPath = "/api/payments/wechat/notify";

    public static void MapPaymentNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost(AlipayPath, Alipay).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.Notifications).WithTags("Payments")
            .DescribesBody<Dictionary<string, string>>("application/x-www-form-urlencoded")
            .WithSummary("Alipay asynchronous notification (form); answers the plain text success");
        app.MapPost(WeChatPath, WeChat).AllowAnonymous().RequireRateLimiting(RateLimits.Notifications).WithTags("Payments")
            .DescribesBody<JsonElement>("application/json")
            .WithSummary("WeChat Pay notification (signed JSON, encrypted resource); answers 204, or 4xx/503 FAIL to ask for a retry");
        app.MapGet("/api/payments/notifications", List).RequireAuthorization(Roles.Staff).WithTags("Payments").CheckParameters()
            .WithSummary("Every notification received, with its verification outcome and what it did");
    }

    static async Task<IResult> Alipay(HttpRequest request, Db db, TimeProvider time, IPostingEvents events, PaymentsOptions options,
        IServiceProvider services, CancellationToken ct)
    {
        // The raw body is kept as evidence; the form is then parsed from it (each value decoded exactly once).
        var (bytes, tooLarge) = await ReadCappedAsync(request, options.NotificationMaxBytes, ct);
        var raw = Encoding.UTF8.GetString(bytes);
        var now = time.GetUtcNow();
        if (tooLarge)
            return await TooLargeAsync(db, request, new RawNotification("alipay", null, raw, null, false, TooLargeReason(options, bytes), null), now,
                TypedResults.Text("fail", "text/plain", statusCode: StatusCodes.Status413PayloadTooLarge), ct);
        var form = ReadForm(request, raw);
        var verifier = services.GetService<AlipayNotificationVerifier>();
        var result = form is null ? AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed, $"Not a url-encoded form ({Cut(request.ContentType, 100)}).")
            : verifier is null ? AlipayNotificationResult.Invalid(AlipayNotificationFailure.Malformed, "Alipay is not configured.")
            : verifier.Verify(form);
        var outTradeNo = form?["out_trade_no"].ToString();
        var id = await NotificationLog.StoreAsync(db, new RawNotification("alipay", null, raw, form?["notify_id"].ToString(), result.IsValid,
            result.IsValid ? null : $"{result.Failure}: {result.Detail}", string.IsNullOrEmpty(outTradeNo) ? null : outTradeNo), now, ct);
        // Anything but "success" makes Alipay send again; a forgery gets the same plain answer and changes nothing.
        if (!result.IsValid)
            return TypedResults.Text("fail", "text/plain", statusCode: form is null ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status200OK);

        var n = result.Notification!;
        try
        {
            var amountFen = decimal.Round(n.TotalAmountYuan, 2) == n.TotalAmountYuan ? Money.FromYuan(n.TotalAmountYuan).Fen : -1;
            await NotificationHandling.PaymentAsync(db, events, id, new PaidClaim(n.OutTradeNo, n.TradeNo, amountFen, n.IsPaid, n.TradeStatus), now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await NotificationLog.SetOutcomeAsync(db, id, NotificationLog.Error, e.Message);
            return TypedResults.Text("fail", "text/plain");
        }
        // Also for a duplicate or a mismatch: sending it again cannot change the answer.
        return TypedResults.Text("success", "text/plain");
    }

    static async Task<IResult> WeChat(HttpRequest request, Db db, TimeProvider time, IPostingEvents events, PaymentsOptions options,
        IServiceProvider services, CancellationToken ct)
    {
        // The signature covers the raw bytes: read them before anything binds a model.
        var (body, tooLarge) = await ReadCappedAsync(request, options.NotificationMaxBytes, ct);
        var headers = NotificationRequests.WeChatHeaders(request.Headers);
        var headersJson = JsonSerializer.Serialize(new WeChatPayHeaders(Cut(headers.Timestamp, 100), Cut(headers.Nonce, 100), Cut(headers.Signature, 1024), Cut(headers.Serial, 100)));
        var now = time.GetUtcNow();
        var text = Encoding.UTF8.GetString(body);
        if (tooLarge)
            return await TooLargeAsync(db, request, new RawNotification("wechat", headersJson, text, null, false, TooLargeReason(options, body), null), now,
                Fail(StatusCodes.Status413PayloadTooLarge, "TooLarge"), ct);
        var verifier = services.GetService<WeChatPayNotificationVerifier>();
        WeChatPayNotificationResult result;
        try
        {
            result = verifier is null ? WeChatPayNotificationResult.Invalid(WeChatPayRejection.Malformed, "WeChat Pay is not configured.")
                : verifier.Verify(headers, body);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a sender puts in the headers or body is a rejected notification on record, never a server error.
            result = WeChatPayNotificationResult.Invalid(WeChatPayRejection.Malformed, e.Message);
        }
        var outTradeNo = result.Notification?.Transaction?.OutTradeNo;
        var id = await NotificationLog.StoreAsync(db, new RawNotification("wechat", headersJson, text, EnvelopeId(body),
            result.IsValid, result.IsValid ? null : $"{result.Rejection}: {result.Detail}", outTradeNo), now, ct);
        // 4xx with FAIL: the probe must be refused this way, and a genuine message that failed here will come again.
        if (!result.IsValid) return Fail(StatusCodes.Status400BadRequest, $"{result.Rejection}");

        var n = result.Notification!;
        try
        {
            if (n.Transaction is { } t)
                await NotificationHandling.PaymentAsync(db, events, id, new PaidClaim(t.OutTradeNo, t.TransactionId, t.AmountTotalFen, t.IsPaid, t.TradeState), now, ct);
            else if (n.OriginalType == "refund" && RefundResource(n.Resource) is { } refund)
                await NotificationHandling.RefundAsync(db, events, id, refund.OutRefundNo, refund.RefundId, refund.Status, now, ct);
            else
                await NotificationLog.SetOutcomeAsync(db, id, NotificationLog.NotPaid, $"Event {n.EventType} ({n.OriginalType}) needs no action.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await NotificationLog.SetOutcomeAsync(db, id, NotificationLog.Error, e.Message);
            return Fail(StatusCodes.Status503ServiceUnavailable, "Processing failed; please retry.");
        }
        return TypedResults.NoContent();
    }

    // Kept of a body over the cap: enough to see what it was.
    const int KeptOfTooLarge = 4096;

    /// <summary>Reads the body no further than the cap; of a longer one, the first bytes only (the rest is never read).</summary>
    static async Task<(byte[] Body, bool TooLarge)> ReadCappedAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        // A declared length over the cap is known too large at once: read only what is kept of it.
        var limit = request.ContentLength > maxBytes ? KeptOfTooLarge : maxBytes + 1L;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (buffer.Length < limit)
        {
            var read = await request.Body.ReadAsync(chunk, ct);
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
        }
        var body = buffer.ToArray();
        return body.Length > maxBytes || request.ContentLength > maxBytes ? (body[..Math.Min(body.Length, KeptOfTooLarge)], true) : (body, false);
    }

    static string TooLargeReason(PaymentsOptions options, byte[] kept) =>
        $"TooLarge: over {options.NotificationMaxBytes} bytes; the first {kept.Length} are kept.";

    static async Task<IResult> TooLargeAsync(Db db, HttpRequest request, RawNotification n, DateTimeOffset now, IResult answer, CancellationToken ct)
    {
        await NotificationLog.StoreAsync(db, n, now, ct);
        // The rest of the body is never read: close the connection rather than drain it.
        request.HttpContext.Response.Headers.Connection = "close";
        return answer;
    }

    static string? Cut(string? text, int length) => NotificationLog.Cut(text, length);

    // Alipay posts application/x-www-form-urlencoded; anything else (multipart, JSON, a broken form) is not a notification.
    static IFormCollection? ReadForm(HttpRequest request, string raw)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return new FormCollection(new FormReader(raw).ReadForm());
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    static IResult Fail(int status, string message) => TypedResults.Json(new { code = "FAIL", message }, statusCode: status);

    static string? EnvelopeId(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static (string OutRefundNo, string? RefundId, string Status)? RefundResource(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            var no = r.TryGetProperty("out_refund_no", out var o) ? o.GetString() : null;
            var status = r.TryGetProperty("refund_status", out var s) ? s.GetString() : null;
            return no is null || status is null ? null : (no, r.TryGetProperty("refund_id", out var i) ? i.GetString() : null, status);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    sealed record Row(long Id, string Channel, string? HeadersJson, string Body, string? NotifyId, string Verification, string? Reason,
        string? OutTradeNo, long? OrderId, string Outcome, string? Detail, long ReceivedAtMs);

    /// <summary>
    /// A site-scoped user sees the notifications that name an order of their sites' accounts (forged ones included);
    /// one naming no order of ours, or a refund, is for those who see every site.
    /// </summary>
    static async Task<IResult> List(System.Security.Claims.ClaimsPrincipal user, Db db, CancellationToken ct, [MaxLength(Limits.QueryText)] string? channel = null,
        [MaxLength(Limits.QueryText)] string? outcome = null, [MaxLength(Limits.QueryText)] string? verification = null,
        [MaxLength(Limits.Code)] string? outTradeNo = null, long after = 0, [Range(1, 1000)] int limit = 100, bool raw = false)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(db.Dialect.Page($"""
            SELECT id, channel, headers_json, body, notify_id, verification, reason, out_trade_no, order_id, outcome, detail, received_at_ms
            FROM payment_notifications
            WHERE id > @after AND (@channel IS NULL OR channel = @channel) AND (@outcome IS NULL OR outcome = @outcome)
              AND (@verification IS NULL OR verification = @verification) AND (@outTradeNo IS NULL OR out_trade_no = @outTradeNo)
              AND (@sites IS NULL OR out_trade_no IN (SELECT o.out_trade_no FROM payment_orders o JOIN accounts a ON a.id = o.account_id
                                                      WHERE a.site_id IN {db.Dialect.IdsFromJson("@sites")}))
            ORDER BY id
            """, "0", "@limit"), new { after, channel, outcome, verification, outTradeNo, sites = user.SitesJson(), limit = Math.Clamp(limit, 1, 1000) });
        return TypedResults.Ok(rows.Select(r => new
        {
            id = r.Id, channel = r.Channel, verification = r.Verification, reason = r.Reason, outcome = r.Outcome, detail = r.Detail,
            outTradeNo = r.OutTradeNo, orderId = r.OrderId, notifyId = r.NotifyId, receivedAt = ApiFormat.Instant(DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAtMs)),
            headers = raw && r.HeadersJson is not null ? JsonDocument.Parse(r.HeadersJson).RootElement : (JsonElement?)null,
            body = raw ? r.Body : null,
        }));
    }
}
