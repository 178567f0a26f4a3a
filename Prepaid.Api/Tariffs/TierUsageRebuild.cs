using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Engine;

namespace Prepaid.Api.Tariffs;

/// <summary>
/// Tier usage (R13) is kept only for accounts on a tariff with a tiered version. When a tariff gets its first
/// tiered version, the usage of the running month and year is rebuilt from the quantities billed so far,
/// so the tiers count everything billed in the period, not only what is billed after the change.
/// A reading's quantity counts in the period its timestamp falls in.
/// </summary>
public static class TierUsageRebuild
{
    public static async Task RunAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, long tariffId, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var yearStart = new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, zone.GetUtcOffset(new DateTime(local.Year, 1, 1)));
        var rows = await connection.QueryAsync<(long AccountId, string Utility, long AtMs, long QuantityMilli)>("""
            SELECT am.account_id, m.utility, r.at_ms, r.quantity_milli
            FROM readings r JOIN account_meters am ON am.id = r.account_meter_id JOIN meters m ON m.id = r.meter_id
            WHERE r.status = 'billed' AND r.quantity_milli IS NOT NULL AND r.at_ms >= @fromMs
              AND am.account_id IN (SELECT account_id FROM account_meters WHERE tariff_id = @tariffId AND closed_at_ms IS NULL)
            """, new { tariffId, fromMs = yearStart.ToUnixTimeMilliseconds() }, tx);
        var usage = new Dictionary<(long AccountId, string Utility, string Key), decimal>();
        foreach (var r in rows)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs);
            foreach (var period in new[] { TierPeriod.Month, TierPeriod.Year })
            {
                var key = (r.AccountId, r.Utility, TierUsage.KeyOf(period, at, zone));
                usage[key] = usage.GetValueOrDefault(key) + ApiFormat.FromMilli(r.QuantityMilli);
            }
        }
        foreach (var ((accountId, utility, key), quantity) in usage)
        {
            var args = new { accountId, utility, key, quantity = quantity.ToString(CultureInfo.InvariantCulture) };
            if (await connection.ExecuteAsync("UPDATE tier_usage SET quantity = @quantity WHERE account_id = @accountId AND utility = @utility AND period_key = @key", args, tx) == 0)
                await connection.ExecuteAsync("INSERT INTO tier_usage (account_id, utility, period_key, quantity) VALUES (@accountId, @utility, @key, @quantity)", args, tx);
        }
    }
}
