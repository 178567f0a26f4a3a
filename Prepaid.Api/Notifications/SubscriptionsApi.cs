using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Notifications;

public sealed record SubscriptionDto(
    [property: Description("sms, wechat or email."), RegularExpression("^(sms|wechat|email)$")] string? Channel,
    [property: Description("A mainland mobile number (sms), an openid (wechat) or an e-mail address."), MaxLength(200)] string? Address,
    [property: Description("Which notifications: lowBalance1, lowBalance2, supplyCutSoon, supplyCut, supplyRestored, paymentReceived, leak, statementReady."), MaxLength(8)] List<string>? Kinds,
    [property: Description("HH:mm site time; with quietTo, messages wait until the window ends."), RegularExpression(@"^\d{2}:\d{2}$")] string? QuietFrom,
    [property: Description("HH:mm site time."), RegularExpression(@"^\d{2}:\d{2}$")] string? QuietTo);

public sealed record SubscriptionsRequest([property: MaxLength(3)] List<SubscriptionDto>? Subscriptions);

/// <summary>A tenant's own subscriptions: one per channel, the kinds it carries and the quiet hours.</summary>
public static partial class SubscriptionsApi
{
    [GeneratedRegex(@"^1\d{10}$")]
    private static partial Regex Mobile();

    public static void MapNotificationSubscriptions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/me/notifications").RequireAuthorization(p => p.RequireRole(Roles.Tenant)).WithTags("Users");
        group.MapGet("", GetAsync).WithSummary("The signed-in tenant's notification subscriptions");
        group.MapPut("", PutAsync).WithSummary("Replaces the signed-in tenant's subscriptions (one per channel, with kinds and quiet hours)");
    }

    static async Task<IResult> GetAsync(ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Channel, string Address, string Kinds, string? QuietFrom, string? QuietTo)>(
            "SELECT channel, address, kinds, quiet_from, quiet_to FROM notification_subscriptions WHERE tenant_id = @tenantId ORDER BY channel",
            new { tenantId = user.TenantId()!.Value });
        return TypedResults.Ok(new
        {
            subscriptions = rows.Select(r => new { channel = r.Channel, address = r.Address, kinds = r.Kinds.Split(','), quietFrom = r.QuietFrom, quietTo = r.QuietTo }),
        });
    }

    static async Task<IResult> PutAsync(SubscriptionsRequest? r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        if (r?.Subscriptions is not { } list) return Problems.Field("subscriptions", "Required.");
        var errors = new Dictionary<string, string[]>();
        if (list.Count > 3) errors["subscriptions"] = ["At most one per channel (3)."];
        for (var i = 0; i < list.Count && errors.Count == 0; i++)
        {
            var s = list[i];
            var at = $"subscriptions[{i}]";
            if (s is null) { errors[at] = ["Cannot be null."]; continue; }
            if (s.Channel is not ("sms" or "wechat" or "email")) errors[$"{at}.channel"] = ["Must be sms, wechat or email."];
            else if (list.Take(i).Any(o => o?.Channel == s.Channel)) errors[$"{at}.channel"] = ["One subscription per channel."];
            var addressOk = s.Channel switch
            {
                "sms" => s.Address is not null && Mobile().IsMatch(s.Address),
                "email" => s.Address is { Length: <= 200 } && MailAddress.TryCreate(s.Address, out var m) && m.Address == s.Address,
                _ => s.Address is { Length: > 0 and <= 200 } && s.Address.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
            };
            if (!addressOk) errors[$"{at}.address"] = [s.Channel == "sms" ? "Must be an 11-digit mainland mobile number." : s.Channel == "email" ? "Must be an e-mail address." : "Must be an openid (letters, digits, - and _)."];
            var badKind = s.Kinds?.FindIndex(k => !NotificationKinds.All.Contains(k)) ?? -1;
            if (s.Kinds is not { Count: > 0 } || badKind >= 0)
                errors[badKind >= 0 ? $"{at}.kinds[{badKind}]" : $"{at}.kinds"] = [$"Must be one or more of {string.Join(", ", NotificationKinds.All)}."];
            if ((s.QuietFrom is null) != (s.QuietTo is null)) errors[$"{at}.{(s.QuietFrom is null ? "quietFrom" : "quietTo")}"] = ["Give both quietFrom and quietTo, or neither."];
            if (s.QuietFrom is not null && !QuietHours.TryParse(s.QuietFrom, out _)) errors[$"{at}.quietFrom"] = ["Must be HH:mm."];
            if (s.QuietTo is not null && !QuietHours.TryParse(s.QuietTo, out _)) errors[$"{at}.quietTo"] = ["Must be HH:mm."];
        }
        if (errors.Count > 0) return Problems.Fields(errors);

        var tenantId = user.TenantId()!.Value;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            await connection.ExecuteAsync("DELETE FROM notification_subscriptions WHERE tenant_id = @tenantId", new { tenantId }, tx);
            foreach (var s in list)
                await connection.ExecuteAsync("""
                    INSERT INTO notification_subscriptions (tenant_id, channel, address, kinds, quiet_from, quiet_to, updated_at_ms)
                    VALUES (@tenantId, @Channel, @Address, @kinds, @QuietFrom, @QuietTo, @nowMs)
                    """, new { tenantId, s!.Channel, s.Address, kinds = string.Join(',', s.Kinds!.Distinct()), s.QuietFrom, s.QuietTo, nowMs }, tx);
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        return await GetAsync(user, db, ct);
    }
}
