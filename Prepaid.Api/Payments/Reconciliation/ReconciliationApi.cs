using System.ComponentModel;
using System.Globalization;
using MiniExcelLibs;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Payments.Channels;

namespace Prepaid.Api.Payments.Reconciliation;

public sealed record ReconcileRequest(
    [property: Description("alipay or wechat."), System.ComponentModel.DataAnnotations.RegularExpression("^(alipay|wechat)$")] string? Channel,
    [property: Description("yyyy-MM-dd in China Standard Time, 2000-01-01 … 2099-12-31."), System.ComponentModel.DataAnnotations.RegularExpression(Limits.DayPattern)] string? Day);

public static class ReconciliationApi
{
    public static void MapReconciliation(this IEndpointRouteBuilder app)
    {
        // A run asks the channel about every site's orders of the day and stores them all: an admin's act. Readers scoped
        // to sites see the rows of their sites only.
        var group = app.MapGroup("/api/payments/reconciliations").WithTags("Payments");
        group.MapPost("/", Run).RequireAuthorization(Roles.AdminOnly).WithSummary("Reconcile one channel's day now and store the result");
        group.MapGet("/", Latest).RequireAuthorization(Roles.Staff)
            .WithSummary("The newest reconciliation of a channel's day (rows of the caller's sites): ?channel=alipay&day=2026-11-02&format=json|xlsx");
    }

    static async Task<IResult> Run(ReconcileRequest r, DailyReconciliation reconciliation, CancellationToken ct)
    {
        if (Check(r.Channel, r.Day, out var day) is { } bad) return bad;
        var report = await reconciliation.RunAsync(r.Channel!, day, ct);
        return report is null ? Problems.Refused("channel", $"{r.Channel} is not configured.", "The payment channel is not available.")
            : TypedResults.Created($"/api/payments/reconciliations?channel={r.Channel}&day={report.Day}", Shape(report));
    }

    static async Task<IResult> Latest(System.Security.Claims.ClaimsPrincipal user, DailyReconciliation reconciliation, CancellationToken ct, string? channel = null,
        string? day = null, string format = "json")
    {
        if (Check(channel, day, out var d) is { } bad) return bad;
        if (format is not ("json" or "xlsx")) return Problems.Field("format", "Must be json or xlsx.");
        var report = await reconciliation.LatestAsync(channel!, d, user.SitesJson(), ct);
        if (report is null) return Problems.NotFound($"A reconciliation of {channel} for {day}");
        if (format == "json") return TypedResults.Ok(Shape(report));

        var stream = new MemoryStream();
        await stream.SaveAsAsync(report.Rows.Select(x => new Dictionary<string, object?>
        {
            ["kind"] = x.Kind, ["outTradeNo"] = x.OutTradeNo, ["accountId"] = x.AccountId, ["orderState"] = x.OrderState,
            ["orderAmount"] = ApiFormat.Amount(x.OrderFen), ["channelState"] = x.ChannelState,
            ["channelAmount"] = x.ChannelFen is { } c ? ApiFormat.Amount(c) : null, ["credited"] = x.CreditedFen is { } k ? ApiFormat.Amount(k) : null,
            ["detail"] = x.Detail,
        }).ToList(), sheetName: $"{channel} {report.Day}", excelType: ExcelType.XLSX, cancellationToken: ct);
        stream.Position = 0;
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"reconciliation-{channel}-{report.Day}.xlsx");
    }

    static IResult? Check(string? channel, string? day, out DateOnly parsed)
    {
        parsed = default;
        if (!PaymentChannels.Names.Contains(channel)) return Problems.Field("channel", "Must be alipay or wechat.");
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed) || !Limits.InRange(parsed))
            return Problems.Field("day", "Must be a date yyyy-MM-dd from 2000-01-01 to 2099-12-31 (China Standard Time, as the channels settle).");
        return null;
    }

    static object Shape(ReconciliationReport r) => new
    {
        id = r.Id, channel = r.Channel, day = r.Day, orders = r.Orders, differences = r.Rows.Count,
        createdAt = ApiFormat.Instant(DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs)),
        rows = r.Rows.Select(x => new
        {
            kind = x.Kind, outTradeNo = x.OutTradeNo, accountId = x.AccountId, orderState = x.OrderState, orderAmount = ApiFormat.Amount(x.OrderFen),
            channelState = x.ChannelState, channelAmount = x.ChannelFen is { } c ? ApiFormat.Amount(c) : null,
            credited = x.CreditedFen is { } k ? ApiFormat.Amount(k) : null, detail = x.Detail,
        }),
    };
}
