using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

/// <summary>
/// An account's billed consumption per day or hour (in the site's zone) for its chart; tenants see their own. Every bucket of
/// the period is answered for every utility of the account: a bucket with no reading at all has quantity and amount null —
/// no data, never a zero (R30) — and a bucket whose figures include estimated readings says <c>estimated: true</c>.
/// </summary>
public static class AccountConsumption
{
    public const int MaxBuckets = 10_000;

    public static void MapAccountConsumption(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounts/{accountId:long}/consumption", Get).RequireAuthorization().WithTags("Accounts").CheckParameters()
            .WithSummary("Billed quantity and amount per day (bucket=day, default: the last 30 days) or hour (bucket=hour: the last 48 hours); null where there is no reading, estimated where estimates count");
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

        var starts = Buckets(q, bucket == "day").Take(MaxBuckets + 1).ToList();
        if (starts.Count > MaxBuckets) return Problems.Field("from", $"At most {MaxBuckets} buckets per request; ask for a shorter period.");

        // Every stored reading is data (a held or zero one too); billed figures come from the rows that moved money.
        var rows = await connection.QueryAsync<(long AtMs, string Utility, long? QuantityMilli, long? AmountFen, string Source)>("""
            SELECT r.at_ms, m.utility, r.quantity_milli, r.amount_fen, r.source
            FROM readings r JOIN account_meters am ON am.id = r.account_meter_id JOIN meters m ON m.id = r.meter_id
            WHERE am.account_id = @accountId AND r.at_ms >= @FromMs AND r.at_ms < @ToMs AND r.status <> 'rejected'
            """, new { accountId, q.FromMs, q.ToMs });
        var utilities = (await connection.QueryAsync<string>(
            "SELECT DISTINCT m.utility FROM account_meters am JOIN meters m ON m.id = am.meter_id WHERE am.account_id = @accountId ORDER BY m.utility",
            new { accountId })).ToList();
        string Key(long ms)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), q.Zone);
            return local.ToString(bucket == "day" ? "yyyy-MM-dd" : "yyyy-MM-dd HH:00", CultureInfo.InvariantCulture);
        }
        var byBucket = rows.GroupBy(r => (Bucket: Key(r.AtMs), r.Utility)).ToDictionary(g => g.Key, g => g.ToList());
        return TypedResults.Ok(starts.Select(Key).Distinct().SelectMany(b => utilities.Select(u =>
        {
            if (!byBucket.TryGetValue((b, u), out var g))
                return new { bucket = b, utility = u, quantity = (string?)null, amount = (string?)null, estimated = false };
            var billed = g.Where(r => r.AmountFen is not null).ToList();
            return new
            {
                bucket = b, utility = u,
                quantity = (string?)ApiFormat.Decimal(ApiFormat.FromMilli(billed.Sum(r => r.QuantityMilli ?? 0))),
                amount = (string?)ApiFormat.Amount(billed.Sum(r => r.AmountFen ?? 0)),
                estimated = g.Any(r => r.Source == Readings.ReadingSources.Estimate),
            };
        })));
    }

    /// <summary>The instants where each local day (or hour) of the period starts, the first one holding from.</summary>
    static IEnumerable<long> Buckets(ReportQuery q, bool days)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(q.FromMs), q.Zone).DateTime;
        var first = days ? local.Date : local.Date.AddHours(local.Hour);
        yield return q.FromMs;
        for (var t = first; ; )
        {
            t = days ? t.AddDays(1) : t.AddHours(1);
            var ms = Engine.DailyEstimate.DayStart(DateOnly.FromDateTime(t), q.Zone).ToUnixTimeMilliseconds();
            if (!days) ms = new DateTimeOffset(t, q.Zone.GetUtcOffset(t)).ToUnixTimeMilliseconds();
            if (ms >= q.ToMs) yield break;
            yield return ms;
        }
    }
}
