using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Alarms;

/// <summary>
/// Every meter alarm in one list, whatever raised it: offline, relayFailure (the poller), tripFailed / closeFailed (R16a),
/// overload (readings' power), calibrationDue (the service journal), and any kind a later feature stores in device_alarms.
/// Site-scoped staff see their sites' meters only. Instants in each meter's site zone.
/// </summary>
public static class AlarmsApi
{
    /// <summary>The kinds stored today, for clients that offer a filter.</summary>
    public static readonly string[] Kinds = ["offline", "relayFailure", "tripFailed", "closeFailed", OverloadAlarms.Kind, ServiceJournal.CalibrationDue.Kind];

    const string KindsPattern = "^[A-Za-z]{1,40}(,[A-Za-z]{1,40})*$";

    public static void MapAlarms(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alarms", List).WithTags("Alarms").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("Every meter alarm in one list, newest first: kind=a,b (e.g. overload,calibrationDue), meterId, siteId, openOnly");
    }

    sealed record AlarmRow(long Id, long MeterId, string Serial, long SiteId, string TimeZone, long? AccountId, string Kind, string Detail, long RaisedAtMs, long? ClearedAtMs);

    static async Task<IResult> List(ClaimsPrincipal user, Db db, CancellationToken ct,
        [Description("Kinds separated by commas: offline, relayFailure, tripFailed, closeFailed, overload, calibrationDue, …"), MaxLength(Limits.QueryText),
         RegularExpression(KindsPattern)] string? kind = null,
        long? meterId = null, long? siteId = null, bool openOnly = false, [Range(0, int.MaxValue)] int offset = 0, [Range(1, 1000)] int limit = 200)
    {
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        var kinds = kind?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<AlarmRow>(db.Dialect.Page($"""
            SELECT a.id, a.meter_id, m.serial, m.site_id, st.time_zone, am.account_id, a.kind, a.detail, a.raised_at_ms, a.cleared_at_ms
            FROM device_alarms a JOIN meters m ON m.id = a.meter_id JOIN sites st ON st.id = m.site_id
            LEFT JOIN account_meters am ON am.meter_id = a.meter_id AND am.closed_at_ms IS NULL
            WHERE (@kinds IS NULL OR a.kind IN {db.Dialect.TextsFromJson("@kinds")}) AND (@meterId IS NULL OR a.meter_id = @meterId)
              AND (@siteId IS NULL OR m.site_id = @siteId) AND (@openOnly = 0 OR a.cleared_at_ms IS NULL)
              AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")})
            ORDER BY a.id DESC
            """, "@offset", "@limit"),
            new { kinds = kinds is null ? null : JsonSerializer.Serialize(kinds), meterId, siteId, openOnly = openOnly ? 1 : 0, sites = user.SitesJson(), offset, limit });
        return TypedResults.Ok(rows.Select(a =>
        {
            var zone = ApiFormat.Zone(a.TimeZone);
            return new
            {
                id = a.Id, kind = a.Kind, meterId = a.MeterId, serial = a.Serial, siteId = a.SiteId, accountId = a.AccountId, detail = a.Detail,
                raisedAt = ApiFormat.Instant(a.RaisedAtMs, zone), clearedAt = a.ClearedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
                open = a.ClearedAtMs is null,
            };
        }));
    }
}
