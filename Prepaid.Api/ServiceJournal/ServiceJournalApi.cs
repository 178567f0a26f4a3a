using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using MiniExcelLibs;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Quartz;

namespace Prepaid.Api.ServiceJournal;

/// <summary>
/// A meter's service journal: installation, verification/calibration with the next due day, repair, replacement. Entries
/// are added, never changed (a correction is a new entry); each records who wrote it and when. Readable and exportable
/// (xlsx) per meter and per site; site-scoped staff see their sites' meters only.
/// </summary>
public static class ServiceJournalApi
{
    static readonly string[] Columns = ["site", "serial", "day", "kind", "note", "nextDueDay", "enteredBy", "enteredAt"];

    /// <summary>
    /// The calibration-due pass, warning <c>Prepaid:Quality:CalibrationWarningDays</c> (default 30) days ahead; scheduled hourly
    /// unless <c>Prepaid:Quality:Jobs</c> is false.
    /// </summary>
    public static void AddServiceJournal(this WebApplicationBuilder builder)
    {
        var days = Math.Clamp(builder.Configuration.GetValue("Prepaid:Quality:CalibrationWarningDays", CalibrationDue.DefaultWarningDays), 0, Limits.CalibrationWarningDaysMax);
        builder.Services.AddSingleton(sp => new CalibrationDue(sp.GetRequiredService<Db>(), sp.GetRequiredService<DeviceEventBus>(), days));
        if (!builder.Configuration.GetValue("Prepaid:Quality:Jobs", true)) return;
        builder.Services.AddQuartz(q => q.ScheduleJob<CalibrationDueJob>(
            t => t.WithIdentity("calibration-due-hourly", "quality").StartNow().WithSimpleSchedule(x => x.WithInterval(CalibrationDueJob.Interval).RepeatForever()),
            j => j.WithIdentity(CalibrationDueJob.Key)));
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    public static void MapServiceJournal(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/meters/{meterId:long}/service-entries", Add).WithTags("Meters").Validate<ServiceEntryRequest, ServiceEntryValidator>()
            .RequireAuthorization(Roles.Manage).WithSummary("Add an entry to a meter's service journal (installation, calibration with the next due day, repair, replacement, other)");
        app.MapGet("/api/meters/{meterId:long}/service-entries", ForMeter).WithTags("Meters").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("A meter's service journal, newest first: format=json (default) or xlsx");
        app.MapGet("/api/service-entries", ForSite).WithTags("Meters").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("The service journal of every meter of a site (or of every site the caller sees): format=json (default) or xlsx");
    }

    sealed record EntryRow(long Id, long MeterId, string Serial, string SiteName, string TimeZone, string Kind, string Day, string? Note, string? NextDueDay,
        long? UserId, string? Username, long CreatedAtMs);

    const string Select = """
        SELECT e.id, e.meter_id, m.serial, s.name AS site_name, s.time_zone, e.kind, e.day, e.note, e.next_due_day, e.user_id, u.username, e.created_at_ms
        FROM meter_service_entries e JOIN meters m ON m.id = e.meter_id JOIN sites s ON s.id = m.site_id LEFT JOIN users u ON u.id = e.user_id
        """;

    static async Task<IResult> Add(long meterId, ServiceEntryRequest r, ClaimsPrincipal user, Db db, TimeProvider time, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var siteId = await connection.ExecuteScalarAsync<long?>("SELECT site_id FROM meters WHERE id = @meterId", new { meterId });
        if (siteId is null || !user.MaySee(siteId.Value)) return Problems.NotFound($"Meter {meterId}");
        var id = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("meter_service_entries",
            "meter_id, kind, day, note, next_due_day, user_id, created_at_ms", "@meterId, @Kind, @Day, @Note, @NextDueDay, @userId, @nowMs"),
            new { meterId, r.Kind, r.Day, r.Note, r.NextDueDay, userId = user.Id(), nowMs = time.GetUtcNow().ToUnixTimeMilliseconds() });
        var row = await connection.QuerySingleAsync<EntryRow>(Select + " WHERE e.id = @id", new { id });
        return TypedResults.Created($"/api/meters/{meterId}/service-entries", Shape(row));
    }

    static async Task<IResult> ForMeter(long meterId, ClaimsPrincipal user, Db db, CancellationToken ct, [Description("json or xlsx.")] string format = "json")
    {
        if (format is not ("json" or "xlsx")) return Problems.Field("format", "Must be json or xlsx.");
        await using var connection = await db.OpenAsync(ct);
        var meter = await connection.QuerySingleOrDefaultAsync<(long SiteId, string Serial)?>("SELECT site_id, serial FROM meters WHERE id = @meterId", new { meterId });
        if (meter is not { } m || !user.MaySee(m.SiteId)) return Problems.NotFound($"Meter {meterId}");
        var rows = (await connection.QueryAsync<EntryRow>(Select + " WHERE e.meter_id = @meterId ORDER BY e.day DESC, e.id DESC", new { meterId })).ToList();
        return await AnswerAsync(rows, format, $"service-journal-{m.Serial}.xlsx", ct);
    }

    static async Task<IResult> ForSite(ClaimsPrincipal user, Db db, CancellationToken ct, long? siteId = null, [Description("json or xlsx.")] string format = "json")
    {
        if (format is not ("json" or "xlsx")) return Problems.Field("format", "Must be json or xlsx.");
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<EntryRow>(Select
            + $" WHERE (@siteId IS NULL OR m.site_id = @siteId) AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")})"
            + " ORDER BY s.name, m.serial, e.day DESC, e.id DESC", new { siteId, sites = user.SitesJson() })).ToList();
        return await AnswerAsync(rows, format, siteId is null ? "service-journal.xlsx" : $"service-journal-site-{siteId}.xlsx", ct);
    }

    static async Task<IResult> AnswerAsync(List<EntryRow> rows, string format, string fileName, CancellationToken ct)
    {
        if (format == "json") return TypedResults.Ok(rows.Select(Shape));
        var sheet = rows.Select(e => new Dictionary<string, object?>
        {
            ["site"] = e.SiteName, ["serial"] = e.Serial, ["day"] = e.Day, ["kind"] = e.Kind, ["note"] = e.Note, ["nextDueDay"] = e.NextDueDay,
            ["enteredBy"] = e.Username, ["enteredAt"] = ApiFormat.Instant(e.CreatedAtMs, ApiFormat.Zone(e.TimeZone)),
        }).ToList();
        if (sheet.Count == 0) sheet.Add(Columns.ToDictionary(c => c, _ => (object?)null)); // keep the header row in an empty sheet
        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: "journal", cancellationToken: ct);
        stream.Position = 0;
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName);
    }

    static object Shape(EntryRow e) => new
    {
        id = e.Id, meterId = e.MeterId, serial = e.Serial, kind = e.Kind, day = e.Day, note = e.Note, nextDueDay = e.NextDueDay,
        enteredBy = e.UserId is { } id ? new { id, username = e.Username } : null,
        enteredAt = ApiFormat.Instant(e.CreatedAtMs, ApiFormat.Zone(e.TimeZone)),
    };
}
