using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Payments.Channels;

namespace Prepaid.Api.Payments.Orders;

public static class PaymentOrdersApi
{
    public static void MapPaymentOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts/{accountId:long}/payments").WithTags("Payments").RequireAuthorization().CheckParameters();
        group.MapPost("/", Create).Validate<CreatePaymentRequest, CreatePaymentValidator>().RequireAuthorization(Roles.Pay)
            .WithSummary("Start a top-up by Alipay or WeChat Pay: creates a pending order and returns what the phone needs");
        group.MapGet("/", List).WithSummary("The account's payment orders, newest first");
        group.MapGet("/{outTradeNo}", Get).WithSummary("One payment order: the phone polls it until it is paid");
        app.MapGet("/api/payments/orders", ListAll).WithTags("Payments").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("Payment orders of every account, newest first: ?state=&channel=&before=&limit=");
    }

    /// <summary>
    /// The order is stored (pending) before the channel hears of it, so a notification can never arrive for an order we
    /// do not know; if the channel then refuses, the order is closed with the reason.
    /// </summary>
    static async Task<IResult> Create(long accountId, CreatePaymentRequest r, ClaimsPrincipal user, HttpContext http, Db db, TimeProvider time,
        PaymentsOptions options, CancellationToken ct)
    {
        var account = await AccountScope.FindAsync(db, user, accountId, ct);
        if (account is null) return Problems.NotFound($"Account {accountId}");
        if (account.Closed) return Problems.Conflict($"Account {accountId} is closed.");
        var channel = PaymentChannels.Find(http.RequestServices, r.Channel!);
        if (channel is null)
            return Problems.Refused("channel", $"{r.Channel} is not configured on this installation.", "The payment channel is not available.");

        var now = time.GetUtcNow();
        var expiresAt = now.AddMinutes(options.OrderLifetimeMinutes);
        var outTradeNo = OutTradeNumbers.New("PP", now);
        var amountFen = ApiFormat.Fen(r.Amount!);
        string? returnUrl = null;
        if (r.ReturnUrl is not null && (returnUrl = ReturnUrls.Resolve(r.ReturnUrl, http.Request, options.PublicOrigin, outTradeNo)) is null)
            return Problems.Field("returnUrl", $"Must be a page of this platform's phone app ({ReturnUrls.PhonePage}…) on its own origin.");
        await using (var connection = await db.OpenAsync(ct))
        {
            await connection.ExecuteAsync("""
                INSERT INTO payment_orders (out_trade_no, account_id, amount_fen, channel, method, state, created_by, created_at_ms, expires_at_ms, return_url)
                VALUES (@outTradeNo, @accountId, @amountFen, @channel, @method, 'pending', @userId, @nowMs, @expiresAtMs, @returnUrl)
                """, new
            {
                outTradeNo, accountId, amountFen, channel = channel.Name, method = r.Method, userId = user.Id(),
                nowMs = now.ToUnixTimeMilliseconds(), expiresAtMs = expiresAt.ToUnixTimeMilliseconds(), returnUrl,
            });
        }

        PaymentStart start;
        try
        {
            start = await channel.StartAsync(new PaymentStartRequest(outTradeNo, amountFen, $"预付费充值 Prepaid top-up {accountId}", expiresAt, r.Method!,
                r.OpenId, http.Connection.RemoteIpAddress?.ToString(), returnUrl), ct);
        }
        catch (Exception e) when (e is ChannelRefusedException or HttpRequestException or TaskCanceledException
                                      or Prepaid.Payments.Alipay.AlipayResponseException or Prepaid.Payments.WeChatPay.WeChatPayResponseException)
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync("UPDATE payment_orders SET state = 'closed', closed_at_ms = @nowMs, failure = @failure WHERE out_trade_no = @outTradeNo AND state = 'pending'",
                new { outTradeNo, nowMs = now.ToUnixTimeMilliseconds(), failure = e.Message });
            return TypedResults.Problem(title: $"{channel.Name} did not accept the order: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }

        await using var read = await db.OpenAsync(ct);
        var order = (await PaymentOrder.FindAsync(read, null, outTradeNo))!;
        var shape = new Dictionary<string, object?>
        {
            ["order"] = order.Shape(account.Zone),
            ["outTradeNo"] = outTradeNo,
            ["qrCode"] = start.QrCode,
            ["redirectUrl"] = start.RedirectUrl,
            ["orderString"] = start.OrderString,
            ["jsapi"] = start.Jsapi,
            // In the demo the fake gateway has no page of its own: this one plays the tenant's wallet app.
            ["demoConfirmUrl"] = options.DemoGatewaysUrl is not null ? $"/demo/pay/{outTradeNo}" : null,
        };
        return TypedResults.Created($"/api/accounts/{accountId}/payments/{outTradeNo}", shape.Where(p => p.Value is not null).ToDictionary());
    }

    static async Task<IResult> List(long accountId, ClaimsPrincipal user, Db db, CancellationToken ct, [Range(1, 500)] int limit = 50)
    {
        var account = await AccountScope.FindAsync(db, user, accountId, ct);
        if (account is null) return Problems.NotFound($"Account {accountId}");
        await using var connection = await db.OpenAsync(ct);
        var orders = await PaymentOrder.OfAccountAsync(connection, db.Dialect, accountId, Math.Clamp(limit, 1, 500));
        return TypedResults.Ok(orders.Select(o => o.Shape(account.Zone)));
    }

    static async Task<IResult> Get(long accountId, [MaxLength(Limits.Code)] string outTradeNo, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        var account = await AccountScope.FindAsync(db, user, accountId, ct);
        if (account is null) return Problems.NotFound($"Account {accountId}");
        await using var connection = await db.OpenAsync(ct);
        var order = await PaymentOrder.FindAsync(connection, null, outTradeNo);
        return order is null || order.AccountId != accountId ? Problems.NotFound($"Payment order {outTradeNo}") : TypedResults.Ok(order.Shape(account.Zone));
    }

    static async Task<IResult> ListAll(ClaimsPrincipal user, Db db, CancellationToken ct, [MaxLength(Limits.QueryText)] string? state = null,
        [MaxLength(Limits.QueryText)] string? channel = null, long? before = null, [Range(1, 1000)] int limit = 100)
    {
        await using var connection = await db.OpenAsync(ct);
        var orders = await PaymentOrder.ListAsync(connection, db.Dialect, state, channel, before ?? long.MaxValue, Math.Clamp(limit, 1, 1000), user.SitesJson());
        // Orders of the caller's sites; instants in UTC+8, the channels' own clock.
        return TypedResults.Ok(orders.Select(o => o.Shape(PaymentClock.ChinaZone)));
    }
}
