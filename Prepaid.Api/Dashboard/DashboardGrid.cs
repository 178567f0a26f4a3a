using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Dashboard;

/// <summary>
/// The grid's rows in one query, so 10,000 meters load in one round trip: each meter with its open account, wallet
/// balance, tenant and room, and its newest reading (per meter, a walk back from the end of its block in readings' index, db/sqlite/0026).
/// "Online" means the meter itself reported within <see cref="OfflineAfter"/> (for an NB-IoT meter, within its
/// missed-report allowance, which may be days; the opening reading an operator types is not a report, so a meter that
/// never reported is offline) and the device layer does not hold it offline.
/// A trip waiting in the outbox for the friendly window's end shows as the row's SupplyCutAt.
/// </summary>
public sealed class DashboardGrid(Db db, TimeProvider time, IConfiguration config)
{
    public TimeSpan OfflineAfter { get; } = TimeSpan.FromMinutes(config.GetValue("Prepaid:Dashboard:OfflineAfterMinutes", 60));

    // Properties, not a positional record: SQLite types an empty result's subquery column as a blob, and Dapper then
    // finds no constructor to match, so a site without meters would answer 500.
    sealed class Row
    {
        public long MeterId { get; init; }
        public long SiteId { get; init; }
        public string Serial { get; init; } = "";
        public string Utility { get; init; } = "";
        public string RelayState { get; init; } = "";
        public long? AccountId { get; init; }
        public string? State { get; init; }
        public long? KeepOn { get; init; }
        public long? BalanceFen { get; init; }
        public long? TenantId { get; init; }
        public string? TenantName { get; init; }
        public string? RoomCode { get; init; }
        public long? LastAtMs { get; init; }
        public long? LastTotalMilli { get; init; }
        public string TimeZone { get; init; } = "";
        public string? LastStatus { get; init; }
        public string? LastReason { get; init; }
        public long? DeviceOnline { get; init; }
        public long? ReportPeriodMs { get; init; }
        public long? OfflineAfterReports { get; init; }
        public string? PendingSwitchJson { get; init; }
        public long? PendingNotBeforeMs { get; init; }
    }

    /// <summary>Rows of the sites given (null: every site), optionally only some meters or the meters of some accounts.</summary>
    public async Task<List<GridRow>> LoadAsync(DbConnection connection, string? sitesJson, long? siteId = null,
        string? meterIdsJson = null, string? accountIdsJson = null)
    {
        var rows = await connection.QueryAsync<Row>($"""
            SELECT m.id AS meter_id, m.site_id, m.serial, m.utility, m.relay_state, a.id AS account_id, a.state, a.keep_on,
                   l.balance_fen, t.id AS tenant_id, t.name AS tenant_name, rm.code AS room_code,
                   lr.at_ms AS last_at_ms, am.last_total_milli, s.time_zone, lr.status AS last_status, lr.reason AS last_reason,
                   ms.online AS device_online, mc.report_period_ms, mc.offline_after_reports,
                   o.payload_json AS pending_switch_json, o.not_before_ms AS pending_not_before_ms
            FROM meters m
            JOIN sites s ON s.id = m.site_id
            LEFT JOIN meter_status ms ON ms.meter_id = m.id
            LEFT JOIN meter_connections mc ON mc.meter_id = m.id
            LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
            LEFT JOIN accounts a ON a.id = am.account_id
            LEFT JOIN ledger_accounts l ON l.id = a.wallet_ledger_id
            LEFT JOIN tenants t ON t.id = a.tenant_id
            LEFT JOIN rooms rm ON rm.id = a.room_id
            LEFT JOIN readings lr ON lr.meter_block = m.id / 64 AND lr.meter_id = m.id
                AND lr.at_ms = (SELECT MAX(r.at_ms) FROM readings r WHERE r.meter_block = m.id / 64 AND r.meter_id = m.id)
            LEFT JOIN (SELECT meter_id, MAX(id) AS id FROM outbox WHERE kind = 'switchRequested' AND consumed_at_ms IS NULL GROUP BY meter_id) po
                   ON po.meter_id = m.id
            LEFT JOIN outbox o ON o.id = po.id
            WHERE (@siteId IS NULL OR m.site_id = @siteId)
              AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")})
              AND (@meterIds IS NULL OR m.id IN {db.Dialect.IdsFromJson("@meterIds")})
              AND (@accountIds IS NULL OR am.account_id IN {db.Dialect.IdsFromJson("@accountIds")})
            ORDER BY m.id
            """, new { siteId, sites = sitesJson, meterIds = meterIdsJson, accountIds = accountIdsJson });

        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var offlineMs = (long)OfflineAfter.TotalMilliseconds;
        var zones = new Dictionary<string, TimeZoneInfo>();
        var list = new List<GridRow>();
        foreach (var r in rows)
        {
            if (!zones.TryGetValue(r.TimeZone, out var zone)) zones[r.TimeZone] = zone = ApiFormat.Zone(r.TimeZone);
            var window = Math.Max(offlineMs, (r.ReportPeriodMs ?? 0) * (r.OfflineAfterReports ?? 3));
            var reported = r.LastAtMs is not null && !(r.LastStatus == "baseline" && r.LastReason == OpeningReason);
            var online = reported && nowMs - r.LastAtMs!.Value <= window && r.DeviceOnline != 0;
            var keepOn = r.KeepOn == 1;
            list.Add(new GridRow(r.MeterId, r.SiteId, r.Serial, r.Utility, r.RelayState, online, DashboardStates.Of(r.AccountId, online, keepOn, r.State),
                r.AccountId, r.State, keepOn, r.BalanceFen is { } b ? ApiFormat.Amount(b) : null, r.TenantId, r.TenantName, r.RoomCode,
                r.LastAtMs is { } l ? ApiFormat.Instant(l, zone) : null,
                r.LastTotalMilli is { } total ? ApiFormat.Decimal(ApiFormat.FromMilli(total)) : null,
                WaitingTrip(r, keepOn, nowMs) is { } cut ? ApiFormat.Instant(cut, zone) : null));
        }
        return list;
    }

    /// <summary>The reason AccountOpening stores on the opening reading: typed by an operator, not reported by the meter.</summary>
    const string OpeningReason = "Opening reading";

    /// <summary>
    /// The newest pending switch request decides (a top-up's close supersedes a waiting trip); it is a waiting trip while it
    /// is a trip not yet due, for an account still in arrears and not keep-on (the dispatcher drops it otherwise).
    /// </summary>
    static long? WaitingTrip(Row r, bool keepOn, long nowMs)
    {
        if (r.PendingSwitchJson is null || r.PendingNotBeforeMs is not { } notBefore || notBefore <= nowMs || keepOn || r.State != "arrears") return null;
        using var payload = System.Text.Json.JsonDocument.Parse(r.PendingSwitchJson);
        return payload.RootElement.TryGetProperty("action", out var action) && action.GetString() == "trip" ? notBefore : null;
    }
}
