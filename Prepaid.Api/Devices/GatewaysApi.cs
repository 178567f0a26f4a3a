using Prepaid.Api.Localization;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>Gateways, buses and meter connections as configuration; the meter profiles the platform knows; device alarms.</summary>
public static class GatewaysApi
{
    public static void MapGateways(this IEndpointRouteBuilder app)
    {
        var gateways = app.MapGroup("/api/gateways").WithTags("Devices");
        gateways.MapPost("/", CreateGateway).Validate<CreateGatewayRequest, CreateGatewayValidator>().RequireAuthorization(Roles.Manage);
        gateways.MapGet("/", ListGateways).RequireAuthorization(Roles.Staff);
        gateways.MapPost("/{gatewayId:long}/buses", CreateBus).Validate<CreateBusRequest, CreateBusValidator>().RequireAuthorization(Roles.Manage);
        app.MapGet("/api/buses", ListBuses).WithTags("Devices").RequireAuthorization(Roles.Staff);
        app.MapPut("/api/meters/{meterId:long}/connection", SetConnection).WithTags("Devices")
            .Validate<MeterConnectionRequest, MeterConnectionValidator>().RequireAuthorization(Roles.Manage);
        app.MapGet("/api/meter-profiles", () => MeterProfiles.All.Select(p => new
        {
            name = p.Name, description = p.Description, protocol = p.Protocol.ToString(), utility = p.Utility, verified = p.Verified,
            relay = p.Can(MeterCapabilities.Relay), valve = p.Can(MeterCapabilities.Valve), keepPower = p.Can(MeterCapabilities.KeepPower),
            periodRegisters = p.Can(MeterCapabilities.PeriodRegisters),
            // What pushTariff (price1..price4) and pushSettings (alarm1, alarm2, overloadLimit) can write to this model.
            parameters = p.Parameters.Select(x => x.Name()),
            reportPeriodMinutes = p.ReportPeriod is { } period ? (long?)period.TotalMinutes : null,
            unverified = p.Unverified,
            sources = p.Sources.Select(s => new { title = s.Title, publisher = s.Publisher, version = s.Version, url = s.Url, covers = s.Covers }),
        })).WithTags("Devices").RequireAuthorization(Roles.Staff);
        app.MapGet("/api/device-alarms", ListAlarms).WithTags("Devices").RequireAuthorization(Roles.Staff);
        app.MapGet("/api/meters/{meterId:long}/device-status", MeterStatus).WithTags("Devices").RequireAuthorization(Roles.Staff);
    }

    static async Task<IResult> CreateGateway(CreateGatewayRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (!user.MaySee(r.SiteId) || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sites WHERE id = @SiteId", new { r.SiteId }) == 0)
            return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gateways WHERE site_id = @SiteId AND name = @Name", new { r.SiteId, r.Name }) > 0)
            return Problems.Field("name", $"The site already has a gateway named {r.Name}.", StatusCodes.Status409Conflict, "The name is taken.");
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("gateways",
            "site_id, name, protocol, host, port, serial_port, timeout_ms, settings_json, created_at_ms",
            "@SiteId, @Name, @Protocol, @Host, @Port, @SerialPort, @timeoutMs, @settings, @nowMs"),
            new
            {
                r.SiteId, r.Name, r.Protocol, r.Host, r.Port, r.SerialPort, timeoutMs = r.TimeoutMs ?? DefaultTimeoutMs(r.Protocol!),
                settings = r.Settings is { ValueKind: not JsonValueKind.Null } s ? s.GetRawText() : null, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            });
        return TypedResults.Created($"/api/gateways/{id}", (await GatewayRowsAsync(connection, db, null, id, null)).Single());
    }

    /// <summary>DL/T 645 and CJ/T 188 buses run at 2400 Bd with slow meters; Modbus at 9600 answers within a second.</summary>
    static int DefaultTimeoutMs(string protocol) => protocol is "dlt645Tcp" or "cjt188Tcp" ? 2000 : protocol is "iotda" or "ctwing" ? 10_000 : 1000;

    static async Task<IResult> ListGateways(long? siteId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await GatewayRowsAsync(connection, db, siteId, null, user.SitesJson()));
    }

    sealed record GatewayRow(long Id, long SiteId, string Name, string Protocol, string? Host, long? Port, string? SerialPort, long TimeoutMs, string? SettingsJson);

    static async Task<IEnumerable<object>> GatewayRowsAsync(System.Data.Common.DbConnection connection, Db db, long? siteId, long? id, string? sites)
    {
        var rows = await connection.QueryAsync<GatewayRow>($"""
            SELECT id, site_id, name, protocol, host, port, serial_port, timeout_ms, settings_json FROM gateways
            WHERE (@siteId IS NULL OR site_id = @siteId) AND (@id IS NULL OR id = @id)
              AND (@sites IS NULL OR site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY id
            """, new { siteId, id, sites });
        return rows.Select(g => (object)new
        {
            id = g.Id, siteId = g.SiteId, name = g.Name, protocol = g.Protocol, host = g.Host, port = g.Port, serialPort = g.SerialPort, timeoutMs = g.TimeoutMs,
            settings = g.SettingsJson is null ? null : Redacted(g.SettingsJson),
            unverified = g.Protocol == "ctwing" ? CtwingUnverified.Select(Catalog.Localize).ToArray() : [],
        });
    }

    /// <summary>What the CTWing client assumes without a CTWing document to check it against (protocols-notes §5.2); shown with
    /// every CTWing gateway so an operator knows before relying on it.</summary>
    static readonly string[] CtwingUnverified =
    [
        "The answer to creating a command is read as result.commandId (or commandId) and commandStatus: not checked against CTWing's documentation.",
        "ttl is sent in hours, as the AEP SDK's example (\"72\") suggests: its unit is not checked against CTWing's documentation.",
    ];

    /// <summary>Settings as shown to staff: credentials (tokens, secrets, keys) are stored for the platform client but never echoed.</summary>
    static Dictionary<string, object?> Redacted(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p =>
            p.Name.Contains("token", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || p.Name.Contains("key", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("password", StringComparison.OrdinalIgnoreCase)
                ? (object?)"***" : p.Value.Clone());

    static async Task<IResult> CreateBus(long gatewayId, CreateBusRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var gateway = await connection.QuerySingleOrDefaultAsync<(string Protocol, long SiteId)?>("SELECT protocol, site_id FROM gateways WHERE id = @gatewayId", new { gatewayId });
        if (gateway is not { } g || !user.MaySee(g.SiteId)) return Problems.NotFound($"Gateway {gatewayId}");
        var protocol = g.Protocol;
        if (protocol is "iotda" or "ctwing")
            return Problems.Field("gatewayId", "An NB-IoT platform has no RS-485 bus; connect its meters with gatewayId.", StatusCodes.Status422UnprocessableEntity, "This gateway has no buses.");
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM buses WHERE gateway_id = @gatewayId AND name = @Name", new { gatewayId, r.Name }) > 0)
            return Problems.Field("name", $"The gateway already has a bus named {r.Name}.", StatusCodes.Status409Conflict, "The name is taken.");
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("buses",
            "gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms", "@gatewayId, @Name, @baud, @intervalMs, @offlineAfter, @nowMs"),
            new
            {
                gatewayId, r.Name, baud = r.BaudRate ?? (protocol is "dlt645Tcp" or "cjt188Tcp" ? 2400 : 9600),
                intervalMs = (r.PollIntervalSeconds ?? 60) * 1000L, offlineAfter = r.OfflineAfter ?? 3, nowMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            });
        return TypedResults.Created($"/api/buses?gatewayId={gatewayId}", (await BusRowsAsync(connection, db, null, id, null)).Single());
    }

    static async Task<IResult> ListBuses(long? gatewayId, ClaimsPrincipal user, Db db, BusLinks links, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await BusRowsAsync(connection, db, gatewayId, null, user.SitesJson(), links));
    }

    /// <summary>Wire trouble is normal on RS-485: it is counted per link and shown here, not logged line by line.</summary>
    static object? Counters(BusLinks? links, long busId) => links?.Counters(busId) is { } c ? new
    {
        requests = c.Requests, replies = c.Replies, timeouts = c.Timeouts, connects = c.Connects, connectFailures = c.ConnectFailures,
        connectionsLost = c.ConnectionsLost, invalidFrames = c.InvalidFrames, discardedBytes = c.DiscardedBytes, unmatchedFrames = c.UnmatchedFrames,
        deviceErrors = c.DeviceErrors, invalidReplies = c.InvalidReplies,
    } : null;

    static async Task<IEnumerable<object>> BusRowsAsync(System.Data.Common.DbConnection connection, Db db, long? gatewayId, long? id, string? sites,
        BusLinks? links = null) =>
        (await connection.QueryAsync<(long Id, long GatewayId, string Name, long BaudRate, long PollIntervalMs, long OfflineAfter, long? LastPolledAtMs, long Meters)>($"""
            SELECT b.id, b.gateway_id, b.name, b.baud_rate, b.poll_interval_ms, b.offline_after, b.last_polled_at_ms,
                   (SELECT COUNT(*) FROM meter_connections c WHERE c.bus_id = b.id) AS meters
            FROM buses b JOIN gateways g ON g.id = b.gateway_id
            WHERE (@gatewayId IS NULL OR b.gateway_id = @gatewayId) AND (@id IS NULL OR b.id = @id)
              AND (@sites IS NULL OR g.site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY b.id
            """, new { gatewayId, id, sites }))
        .Select(b => (object)new
        {
            id = b.Id, gatewayId = b.GatewayId, name = b.Name, baudRate = b.BaudRate, pollIntervalSeconds = b.PollIntervalMs / 1000, offlineAfter = b.OfflineAfter,
            lastPolledAt = b.LastPolledAtMs is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : (DateTimeOffset?)null, meters = b.Meters,
            link = Counters(links, b.Id),
        });

    static async Task<IResult> SetConnection(long meterId, MeterConnectionRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var meter = await connection.QuerySingleOrDefaultAsync<(long SiteId, string Utility)?>("SELECT site_id, utility FROM meters WHERE id = @meterId", new { meterId });
        // The bus or gateway must be of the meter's site (below), so a meter in scope only ever reaches the scope's wiring.
        if (meter is null || !user.MaySee(meter.Value.SiteId)) return Problems.NotFound($"Meter {meterId}");
        var (gatewayId, problem) = await MeterConnections.CheckAsync(connection, null, meter.Value.SiteId, meter.Value.Utility, r);
        if (problem is not null) return problem;
        var profile = MeterProfiles.Find(r.Profile)!;
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = db.Dialect.BeginWrite(connection);
        var (reportPeriodMs, offlineAfterReports) = await MeterConnections.WriteAsync(connection, tx, meterId, gatewayId, r, nowMs);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(new
        {
            meterId, gatewayId, busId = r.BusId, address = r.Address, profile = r.Profile, verified = profile.Verified, unverified = profile.Unverified,
            reportPeriodMinutes = reportPeriodMs / 60_000, offlineAfterReports,
        });
    }

    static async Task<IResult> ListAlarms(ClaimsPrincipal user, Db db, CancellationToken ct, long? meterId = null, bool openOnly = false)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, long MeterId, string Kind, string Detail, long RaisedAtMs, long? ClearedAtMs, string TimeZone)>($"""
            SELECT a.id, a.meter_id, a.kind, a.detail, a.raised_at_ms, a.cleared_at_ms, s.time_zone FROM device_alarms a JOIN meters m ON m.id = a.meter_id
            JOIN sites s ON s.id = m.site_id
            WHERE (@meterId IS NULL OR a.meter_id = @meterId) AND (@openOnly = 0 OR a.cleared_at_ms IS NULL)
              AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")}) ORDER BY a.id DESC
            """, new { meterId, openOnly = openOnly ? 1 : 0, sites = user.SitesJson() });
        return TypedResults.Ok(rows.Select(a => new
        {
            id = a.Id, meterId = a.MeterId, kind = a.Kind, detail = Catalog.Localize(a.Detail), raisedAt = ApiFormat.Instant(a.RaisedAtMs, ApiFormat.Zone(a.TimeZone)),
            clearedAt = a.ClearedAtMs is { } c ? ApiFormat.Instant(c, ApiFormat.Zone(a.TimeZone)) : null,
        }));
    }

    static async Task<IResult> MeterStatus(long meterId, ClaimsPrincipal user, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string RelayState, long? Online, long? MissedPolls, long? LastSeenAtMs, long? LastTotalMilli, long SiteId, string TimeZone)?>("""
            SELECT m.relay_state, s.online, s.missed_polls, s.last_seen_at_ms, s.last_total_milli, m.site_id, z.time_zone
            FROM meters m LEFT JOIN meter_status s ON s.meter_id = m.id JOIN sites z ON z.id = m.site_id WHERE m.id = @meterId
            """, new { meterId });
        if (row is not { } r || !user.MaySee(r.SiteId)) return Problems.NotFound($"Meter {meterId}");
        return TypedResults.Ok(new
        {
            meterId, relay = r.RelayState, online = r.Online is null ? (bool?)null : r.Online == 1, missedPolls = r.MissedPolls ?? 0,
            lastSeenAt = r.LastSeenAtMs is { } t ? ApiFormat.Instant(t, ApiFormat.Zone(r.TimeZone)) : null,
            lastTotal = r.LastTotalMilli is { } m ? (m / 1000m).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        });
    }
}
