using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The overview's money and device figures for one site (or every visible site): today's top-ups by channel and
/// consumption by utility, recurring charges by kind, a 30-day trend, failed commands of the last 24 hours and open device alarms. "Today" and the
/// trend's days are the site's calendar days (UTC when no site is given). Sums are grouped by quarter hour in SQL and
/// put into local days here: every zone's midnight falls on a quarter hour, also across daylight-saving changes.
/// </summary>
public static class OverviewFigures
{
    public const int TrendDays = 30;
    const long QuarterMs = 15 * 60 * 1000;
    static readonly TimeSpan FailedWindow = TimeSpan.FromHours(24);

    public sealed record Scope(long? SiteId, string? SitesJson);

    public sealed record Figures(string Zone, string Today, object TopUpsToday, object ConsumptionToday, object ChargesToday, object Trend, object FailedCommands, object OpenAlarms);

    public static async Task<Figures> LoadAsync(DbConnection connection, Db db, Scope scope, TimeZoneInfo zone, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var days = Enumerable.Range(0, TrendDays + 1).Select(i => today.AddDays(i - TrendDays + 1)).ToArray();
        var bounds = days.Select(d => Midnight(d, zone)).ToArray(); // bounds[i] starts days[i]; the last one ends today
        var p = new { scope.SiteId, Sites = scope.SitesJson, FromMs = bounds[0], ToMs = bounds[^1] };
        var sites = db.Dialect.IdsFromJson("@Sites");

        var topUps = (await connection.QueryAsync<(string Channel, long Quarter, long Count, long AmountFen)>($"""
            SELECT t.channel, t.at_ms / {QuarterMs} AS quarter, COUNT(*) AS n, SUM(t.amount_fen) AS amount_fen
            FROM topups t JOIN accounts a ON a.id = t.account_id
            WHERE t.at_ms >= @FromMs AND t.at_ms < @ToMs AND (@SiteId IS NULL OR a.site_id = @SiteId) AND (@Sites IS NULL OR a.site_id IN {sites})
            GROUP BY t.channel, t.at_ms / {QuarterMs}
            """, p)).ToList();
        var consumption = (await connection.QueryAsync<(string Utility, long Quarter, long QuantityMilli, long AmountFen)>($"""
            SELECT m.utility, r.at_ms / {QuarterMs} AS quarter, SUM(COALESCE(r.quantity_milli, 0)) AS quantity_milli, SUM(r.amount_fen) AS amount_fen
            FROM meters m JOIN readings r ON r.meter_id = m.id
            WHERE r.at_ms >= @FromMs AND r.at_ms < @ToMs AND r.amount_fen IS NOT NULL
              AND (@SiteId IS NULL OR m.site_id = @SiteId) AND (@Sites IS NULL OR m.site_id IN {sites})
            GROUP BY m.utility, r.at_ms / {QuarterMs}
            """, p)).ToList();
        // Recurring charges (R28) by agreement kind, corrections included: money owed for rent and fees, not consumption.
        var charges = (await connection.QueryAsync<(string Kind, long Quarter, long Count, long AmountFen)>($"""
            SELECT g.kind, c.at_ms / {QuarterMs} AS quarter, COUNT(*) AS n, SUM(c.amount_fen) AS amount_fen
            FROM charges c JOIN charge_agreements g ON g.id = c.agreement_id JOIN accounts a ON a.id = c.account_id
            WHERE c.at_ms >= @FromMs AND c.at_ms < @ToMs AND (@SiteId IS NULL OR a.site_id = @SiteId) AND (@Sites IS NULL OR a.site_id IN {sites})
            GROUP BY g.kind, c.at_ms / {QuarterMs}
            """, p)).ToList();
        int DayOf(long quarter)
        {
            var i = Array.BinarySearch(bounds, quarter * QuarterMs);
            return i >= 0 ? i : ~i - 1;
        }
        var todayIndex = TrendDays - 1;

        var sinceMs = (now - FailedWindow).ToUnixTimeMilliseconds();
        var failed = (await connection.QueryAsync<(long Id, long MeterId, string Serial, string Kind, string State, string? Error, long UpdatedAtMs)>($"""
            SELECT c.id, c.meter_id, m.serial, c.kind, c.state, COALESCE(c.error, c.detail) AS error, c.updated_at_ms
            FROM device_commands c JOIN meters m ON m.id = c.meter_id
            WHERE c.state IN ('failed', 'expired') AND c.updated_at_ms >= @sinceMs
              AND (c.error IS NULL OR c.error NOT LIKE 'Superseded%')
              AND (@SiteId IS NULL OR m.site_id = @SiteId) AND (@Sites IS NULL OR m.site_id IN {sites})
            ORDER BY c.updated_at_ms DESC
            """, new { scope.SiteId, Sites = scope.SitesJson, sinceMs })).ToList();
        var alarms = (await connection.QueryAsync<(string Kind, long Count)>($"""
            SELECT d.kind, COUNT(*) AS n FROM device_alarms d JOIN meters m ON m.id = d.meter_id
            WHERE d.cleared_at_ms IS NULL AND (@SiteId IS NULL OR m.site_id = @SiteId) AND (@Sites IS NULL OR m.site_id IN {sites})
            GROUP BY d.kind
            """, p)).ToList();

        return new Figures(
            zone.Id, Day(today),
            topUps.Where(t => DayOf(t.Quarter) == todayIndex).GroupBy(t => t.Channel).OrderBy(g => g.Key)
                .Select(g => new { channel = g.Key, count = g.Sum(t => t.Count), amount = ApiFormat.Amount(g.Sum(t => t.AmountFen)) }),
            consumption.Where(c => DayOf(c.Quarter) == todayIndex).GroupBy(c => c.Utility).OrderBy(g => g.Key)
                .Select(g => new { utility = g.Key, quantity = Quantity(g.Sum(c => c.QuantityMilli)), amount = ApiFormat.Amount(g.Sum(c => c.AmountFen)) }),
            charges.Where(c => DayOf(c.Quarter) == todayIndex).GroupBy(c => c.Kind).OrderBy(g => g.Key)
                .Select(g => new { kind = g.Key, count = g.Sum(c => c.Count), amount = ApiFormat.Amount(g.Sum(c => c.AmountFen)) }),
            days[..TrendDays].Select((d, i) => new
            {
                day = Day(d),
                sales = ApiFormat.Amount(topUps.Where(t => DayOf(t.Quarter) == i).Sum(t => t.AmountFen)),
                consumption = ApiFormat.Amount(consumption.Where(c => DayOf(c.Quarter) == i).Sum(c => c.AmountFen)),
                charges = ApiFormat.Amount(charges.Where(c => DayOf(c.Quarter) == i).Sum(c => c.AmountFen)),
                quantities = consumption.Where(c => DayOf(c.Quarter) == i).GroupBy(c => c.Utility).OrderBy(g => g.Key)
                    .ToDictionary(g => g.Key, g => Quantity(g.Sum(c => c.QuantityMilli))),
            }),
            new
            {
                count = failed.Count,
                recent = failed.Take(10).Select(f => new
                {
                    commandId = f.Id, meterId = f.MeterId, serial = f.Serial, kind = f.Kind, state = f.State, error = f.Error,
                    at = ApiFormat.Instant(f.UpdatedAtMs, zone),
                }),
            },
            new { count = alarms.Sum(a => a.Count), byKind = alarms.OrderBy(a => a.Kind).ToDictionary(a => a.Kind, a => a.Count) });
    }

    static long Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // A midnight that a clock change skips starts the day at the first instant that exists.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string Quantity(long milli) => ApiFormat.Decimal(ApiFormat.FromMilli(milli));
}
