using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using MiniExcelLibs;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Readings;

/// <summary>The upload of <c>POST /api/readings/import</c>: one file in the form field <c>file</c>.</summary>
public sealed record ImportForm([property: Description("An .xlsx (first sheet) or .csv (UTF-8) file of at most 10 MB: a header row serial, at, total, "
    + "sharp?, peak?, flat?, valley?, then at most 10,000 readings. at: ISO 8601 with offset, or a local time yyyy-MM-dd HH:mm[:ss] (or a date cell) "
    + "in the meter's site zone.")] IFormFile? File);

/// <summary>
/// R31: readings imported from a file by an operator. Each row is checked on its own — a bad row is answered rejected with
/// the reason and kept among the rejects, the others go through the one ingest door as one batch (R9a) and get the status
/// <c>POST /api/readings</c> gives. Every imported reading records who imported it and when. The per-row outcome is
/// kept as the import's report, readable (and downloadable as .xlsx) by the importer and by staff who see every site.
/// </summary>
public static class ReadingImport
{
    public sealed record Outcome(int Row, string? Serial, string? At, Dictionary<string, string> Registers, string Status, string? Amount, string? Reason);

    static readonly string[] ReportColumns = ["row", "serial", "at", "total", "sharp", "peak", "flat", "valley", "status", "amount", "reason"];

    public static void MapReadingImport(this IEndpointRouteBuilder app)
    {
        // A multipart body without antiforgery: the API authenticates by bearer token or a SameSite=Strict cookie, which a
        // cross-site form never carries.
        app.MapPost("/api/readings/import", Import).WithTags("Readings").RequireAuthorization(Roles.Manage)
            .DescribesBody<ImportForm>("multipart/form-data")
            .WithSummary("Import readings from an .xlsx or .csv file (serial, at, total, sharp?, peak?, flat?, valley?): per row the status POST /api/readings gives (R31)");
        app.MapGet("/api/readings/imports/{importId:long}", Report).WithTags("Readings").RequireAuthorization(Roles.Staff).CheckParameters()
            .WithSummary("An import's per-row outcome report: format=json (default) or xlsx");
    }

    static async Task<IResult> Import(HttpRequest request, ClaimsPrincipal user, Db db, ReadingIngestor ingestor, TimeProvider time, CancellationToken ct)
    {
        if (!request.HasFormContentType) return Problems.Field("file", "Send the file as multipart/form-data in the field named file.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException or FormatException)
        {
            return Problems.Field("file", $"The multipart body cannot be read: {e.Message}");
        }
        var file = form.Files.GetFile("file");
        if (file is null) return Problems.Field("file", "Send the file in the form field named file.");
        if (file.Length == 0) return Problems.Field("file", "The file is empty.");
        if (file.Length > Limits.ImportBytes) return Problems.Field("file", $"At most {Limits.ImportBytes / 1024 / 1024} MB per import.");
        var fileName = Path.GetFileName(file.FileName ?? "");
        if (fileName.Length is 0 or > 260) fileName = "import" + Path.GetExtension(fileName);
        List<ImportRow> rows;
        await using (var stream = file.OpenReadStream())
        {
            var (read, problem) = ImportFile.Read(stream, fileName);
            if (read is null) return Problems.Field("file", problem!);
            rows = read;
        }
        if (rows.Count == 0) return Problems.Field("file", "The file holds no readings below its header row.");

        var meters = await MetersAsync(db, rows, user.SitesJson(), ct);
        var outcomes = new Outcome?[rows.Count];
        var accepted = new List<(int Index, ReadingInput Input)>();
        var userId = user.Id();
        for (var i = 0; i < rows.Count; i++)
        {
            var (input, reason) = Check(rows[i], meters, userId);
            if (input is null) outcomes[i] = Shape(rows[i], "rejected", null, reason);
            else accepted.Add((i, input));
        }
        if (accepted.Count > 0)
        {
            var results = await ingestor.IngestAsync(accepted.Select(a => a.Input).ToList(), ct);
            for (var k = 0; k < accepted.Count; k++)
                outcomes[accepted[k].Index] = Shape(rows[accepted[k].Index], results[k].Status, results[k].AmountFen, results[k].Reason);
        }

        var report = outcomes.Select(o => o!).ToList();
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        long importId;
        await using (var connection = await db.OpenAsync(ct))
        await using (var tx = db.Dialect.BeginWrite(connection))
        {
            // Rows refused before ingest are kept with the other rejects, so nothing of a file is silently dropped.
            var ingested = accepted.Select(a => a.Index).ToHashSet();
            for (var i = 0; i < rows.Count; i++)
            {
                if (ingested.Contains(i)) continue;
                var (row, o) = (rows[i], report[i]);
                await connection.ExecuteAsync("INSERT INTO reading_rejects (meter_id, payload_json, reason, received_at_ms) VALUES (@meterId, @payload, @reason, @nowMs)",
                    new
                    {
                        meterId = meters.GetValueOrDefault(row.Serial ?? "")?.Id, reason = o.Reason ?? "rejected", nowMs,
                        payload = JsonSerializer.Serialize(new { file = fileName, row = row.Row, serial = row.Serial, at = o.At, registers = o.Registers, source = ReadingSources.Import }),
                    }, tx);
            }
            importId = await connection.ExecuteScalarAsync<long>(db.Dialect.InsertReturningId("reading_imports",
                "user_id, file_name, row_count, report_json, created_at_ms", "@userId, @fileName, @count, @json, @nowMs"),
                new { userId, fileName, count = report.Count, json = JsonSerializer.Serialize(report, JsonOptions), nowMs }, tx);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(Answer(importId, fileName, report));
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    static object Answer(long importId, string fileName, IReadOnlyList<Outcome> report) => new
    {
        importId, fileName, rows = report.Count,
        counts = report.GroupBy(o => o.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        outcomes = report,
    };

    sealed record MeterRef(long Id, string Serial, string TimeZone);

    /// <summary>The file's meters by serial, among the caller's sites: another site's serial is unknown to a scoped operator.</summary>
    static async Task<Dictionary<string, MeterRef?>> MetersAsync(Db db, List<ImportRow> rows, string? sites, CancellationToken ct)
    {
        var serials = rows.Select(r => r.Serial).Where(s => s is { Length: > 0 and <= Limits.Code }).Distinct().ToList();
        await using var connection = await db.OpenAsync(ct);
        var found = serials.Count == 0 ? [] : (await connection.QueryAsync<MeterRef>(
                $"SELECT m.id, m.serial, s.time_zone FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.serial IN {db.Dialect.TextsFromJson("@serials")}"
                + $" AND (@sites IS NULL OR m.site_id IN {db.Dialect.IdsFromJson("@sites")})",
                new { serials = JsonSerializer.Serialize(serials), sites })).ToList();
        return found.ToDictionary(m => m.Serial, m => (MeterRef?)m);
    }

    static readonly RegistersValidator RegistersRules = new();
    static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm"];

    /// <summary>A row as a reading, or every reason it is not one ("at: …; total: …").</summary>
    static (ReadingInput? Input, string? Reason) Check(ImportRow row, Dictionary<string, MeterRef?> meters, long userId)
    {
        var problems = new List<string>();
        MeterRef? meter = null;
        if (string.IsNullOrEmpty(row.Serial)) problems.Add("serial: Give the meter's serial.");
        else if (row.Serial.Length > Limits.Code) problems.Add($"serial: At most {Limits.Code} characters.");
        else if ((meter = meters.GetValueOrDefault(row.Serial)) is null) problems.Add($"serial: No meter has serial {row.Serial}.");
        DateTimeOffset? at = null;
        if (row.At is null) problems.Add("at: Give the reading's time.");
        else if (meter is not null && (at = Instant(row.At, ApiFormat.Zone(meter.TimeZone))) is null)
            problems.Add("at: Must be ISO 8601 with offset, or a local time yyyy-MM-dd HH:mm[:ss] in the site's zone, from 2000-01-01 to 2100-01-01.");
        var registers = new RegistersDto(row.Registers[0], row.Registers[1], row.Registers[2], row.Registers[3], row.Registers[4]);
        foreach (var g in RegistersRules.Validate(registers).Errors.GroupBy(e => Validation.Camel(e.PropertyName)))
            problems.Add($"{g.Key}: {string.Join(" ", g.Select(e => e.ErrorMessage).Distinct())}");
        if (problems.Count > 0 || meter is null || at is null) return (null, string.Join("; ", problems));
        return (new ReadingInput(meter.Id, at.Value, ReadingsApi.ToRegisters(registers), ReadingSources.Import, userId), null);
    }

    /// <summary>An instant with offset, or a wall-clock time of the site (text or a date cell).</summary>
    static DateTimeOffset? Instant(object value, TimeZoneInfo zone)
    {
        DateTime local;
        if (value is DateTime cell) local = cell;
        else if (value is string text)
        {
            if (ApiFormat.TryInstant(text, out var given)) return given;
            if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local)) return null;
        }
        else return null;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (local.Year is < 2000 or > 2099 || zone.IsInvalidTime(local)) return null;
        var at = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return Limits.InRange(at) ? at : null;
    }

    static Outcome Shape(ImportRow row, string status, long? amountFen, string? reason)
    {
        var registers = new Dictionary<string, string>();
        for (var i = 0; i < row.Registers.Length; i++)
            if (row.Registers[i] is { } v) registers[ImportFile.Columns[i + 2]] = v;
        var at = row.At switch { DateTime dt => dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), string s => s, _ => null };
        return new Outcome(row.Row, row.Serial, at, registers, status, amountFen is { } f ? ApiFormat.Amount(f) : null, reason);
    }

    static async Task<IResult> Report(long importId, ClaimsPrincipal user, Db db, CancellationToken ct, [Description("json or xlsx.")] string format = "json")
    {
        if (format is not ("json" or "xlsx")) return Problems.Field("format", "Must be json or xlsx.");
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long UserId, string FileName, string ReportJson)?>(
            "SELECT user_id, file_name, report_json FROM reading_imports WHERE id = @importId", new { importId });
        // The importer's own report; staff who see every site (admin, auditor) read any.
        if (row is not { } r || (r.UserId != user.Id() && (user.IsSiteScoped() || user.IsInRole(Roles.Cashier))))
            return Problems.NotFound($"Import {importId}");
        var report = JsonSerializer.Deserialize<List<Outcome>>(r.ReportJson, JsonOptions)!;
        if (format == "json") return TypedResults.Ok(Answer(importId, r.FileName, report));
        var sheet = report.Select(o => new Dictionary<string, object?>
        {
            ["row"] = o.Row, ["serial"] = o.Serial, ["at"] = o.At, ["total"] = o.Registers.GetValueOrDefault("total"),
            ["sharp"] = o.Registers.GetValueOrDefault("sharp"), ["peak"] = o.Registers.GetValueOrDefault("peak"),
            ["flat"] = o.Registers.GetValueOrDefault("flat"), ["valley"] = o.Registers.GetValueOrDefault("valley"),
            ["status"] = o.Status, ["amount"] = o.Amount, ["reason"] = o.Reason,
        }).ToList();
        if (sheet.Count == 0) sheet.Add(ReportColumns.ToDictionary(c => c, _ => (object?)null));
        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: "outcome", cancellationToken: ct);
        stream.Position = 0;
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"import-{importId}-outcome.xlsx");
    }
}
