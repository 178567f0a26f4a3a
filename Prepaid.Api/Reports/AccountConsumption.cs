using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>An account's billed consumption per day or hour (in the site's zone) for its chart; tenants see their own.</summary>
public static class AccountConsumption
{
    public static void MapAccountConsumption(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{accountId:long}/consumption", Get).RequireAuthorization().WithTags("Accounts").CheckParameters()
            .WithSummary("Billed quantity and amount per day (bucket=day, default: the last 30 days) or hour (bucket=hour: the last 48 hours)");
    }

    static async Task<IResult> Get(long accountId, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct,
        [Description("day or hour.")] string bucket = "day",
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? from = null,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? to = null)
    {
        if (bucket is not ("day" or "hour")) return Problems.Field("bucket", "Must be day or hour.");
        await using var connection = await db.OpenAsync(ct);
        if (!await AccountsApi.VisibleAsync(connection, user, accountId)) return Problems.NotFound($"Account {accountId}");
        var zoneId = await connection.ExecuteScalarAsync<string>("SELECT s.time_zone FROM accounts a JOIN sites s ON s.id = a.site_id WHERE a.id = @accountId", new { accountId });
        var now = time.GetUtcNow();
        var defaultFrom = bucket == "day" ? now.AddDays(-30) : now.AddHours(-48);
        if (!ReportQuery.TryParse(from ?? ApiFormat.Instant(defaultFrom), to ?? ApiFormat.Instant(now.AddMinutes(1)), null, null, ApiFormat.Zone(zoneId!), out var q, out var problem))
            return problem!;

        var rows = await connection.QueryAsync<(long AtMs, string Utility, long? QuantityMilli, long AmountFen)>("""
            SELECT r.at_ms, m.utility, r.quantity_milli, r.amount_fen
            FROM readings r JOIN account_meters am ON am.id = r.account_meter_id JOIN meters m ON m.id = r.meter_id
            WHERE am.account_id = @accountId AND r.at_ms >= @FromMs AND r.at_ms < @ToMs AND r.amount_fen IS NOT NULL
            """, new { accountId, q.FromMs, q.ToMs });
        string Key(long ms)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), q.Zone);
            return local.ToString(bucket == "day" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:00", CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(rows.GroupBy(r => (Bucket: Key(r.AtMs), r.Utility)).OrderBy(g => g.Key.Bucket).Select(g => new
        {
            bucket = g.Key.Bucket, utility = g.Key.Utility,
            quantity = ApiFormat.Decimal(ApiFormat.FromMilli(g.Sum(r => r.QuantityMilli ?? 0))),
            amount = ApiFormat.Amount(g.Sum(r => r.AmountFen)),
        }));
    }
}
