using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Dapper;
using MiniExcelLibs;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Api.Reports;

namespace Prepaid.Api.Meters;

/// <summary>
/// Every stored reading of a meter, rejected and suspect ones included: nothing is silently dropped. JSON pages newest
/// first; csv and xlsx export the raw readings of [from, to) oldest first, instants in the site's zone. A day without a
/// reading is simply absent: an export never invents a zero.
/// </summary>
public static class MeterReadings
{
    static readonly string[] Header =
        ["at", "total", "sharp", "peak", "flat", "valley", "status", "reason", "quantity", "amount", "source", "estimated", "enteredBy", "enteredAt", "power"];

    sealed record Row(long Id, long AtMs, long TotalMilli, long? SharpMilli, long? PeakMilli, long? FlatMilli, long? ValleyMilli, string Status,
        string? Reason, long? QuantityMilli, long? AmountFen, string Source, long? EnteredBy, string? EnteredByName, long? EnteredAtMs, long? PowerW);

    public static async Task<IResult> GetAsync(long meterId, ClaimsPrincipal user, Db db, CancellationToken ct,
        [Range(0, int.MaxValue)] int offset = 0, [Range(1, 1000)] int limit = 100,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? from = null,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? to = null, [Description("json, csv or xlsx.")] string format = "json")
    {
        await using var connection = await db.OpenAsync(ct);
        var (zoneId, siteId, serial) = await connection.QuerySingleOrDefaultAsync<(string? Zone, long SiteId, string Serial)>(
            "SELECT s.time_zone, m.site_id, m.serial FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.id = @meterId", new { meterId });
        if (zoneId is null || !user.MaySee(siteId)) return Problems.NotFound($"Meter {meterId}");
        if (format is not ("json" or "csv" or "xlsx")) return Problems.Field("format", "Must be json, csv or xlsx.");
        var zone = ApiFormat.Zone(zoneId);
        var errors = new Dictionary<string, string[]>();
        var fromAt = from is null ? null : ReportQuery.Parse(from, zone);
        var toAt = to is null ? null : ReportQuery.Parse(to, zone);
        if (from is not null && fromAt is null) errors["from"] = ["Must be a date (2026-11-01, in the site's zone) or an ISO 8601 instant with offset."];
        if (to is not null && toAt is null) errors["to"] = ["Must be a date (2026-11-30, in the site's zone) or an ISO 8601 instant with offset."];
        if (fromAt is not null && toAt is not null && toAt <= fromAt) errors["to"] = ["Must be later than from."];
        if (errors.Count > 0) return Problems.Fields(errors);
        var fromMs = fromAt?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var toMs = toAt?.ToUnixTimeMilliseconds() ?? long.MaxValue;

        const string Select = """
            SELECT r.id, r.at_ms, r.total_milli, r.sharp_milli, r.peak_milli, r.flat_milli, r.valley_milli, r.status, r.reason, r.quantity_milli,
                   r.amount_fen, r.source, r.entered_by, u.username AS entered_by_name, r.entered_at_ms, r.power_w
            FROM readings r LEFT JOIN users u ON u.id = r.entered_by
            WHERE r.meter_block = @meterId / 64 AND r.meter_id = @meterId AND r.at_ms >= @fromMs AND r.at_ms < @toMs
            """;
        if (format == "json")
        {
            var page = await connection.QueryAsync<Row>(db.Dialect.Page(Select + " ORDER BY r.at_ms DESC", "@offset", "@limit"),
                new { meterId, fromMs, toMs, offset, limit = Math.Clamp(limit, 1, 1000) });
            return TypedResults.Ok(page.Select(r => new
            {
                id = r.Id, at = ApiFormat.Instant(r.AtMs, zone),
                registers = RegisterJson.Of(r.TotalMilli, r.SharpMilli, r.PeakMilli, r.FlatMilli, r.ValleyMilli),
                status = r.Status, reason = r.Reason, amount = r.AmountFen is { } f ? ApiFormat.Amount(f) : null,
                quantity = r.QuantityMilli is { } q ? Milli(q) : null,
                // R30: where it came from and whether it is an estimate (superseded ones stay, marked); R31: who entered it and when.
                source = r.Source, estimated = r.Source == ReadingSources.Estimate,
                enteredBy = r.EnteredBy is { } by ? new { id = by, username = r.EnteredByName } : null,
                enteredAt = r.EnteredAtMs is { } e ? ApiFormat.Instant(e, zone) : null,
                power = r.PowerW is { } w ? Prepaid.Api.Alarms.OverloadAlarms.Kw(w) : null,
            }));
        }

        var rows = (await connection.QueryAsync<Row>(Select + " ORDER BY r.at_ms", new { meterId, fromMs, toMs })).ToList();
        var name = $"readings-{serial}-{Day(fromAt, rows.FirstOrDefault()?.AtMs, zone)}-{Day(toAt?.AddMilliseconds(-1), rows.LastOrDefault()?.AtMs, zone)}";
        if (format == "csv")
        {
            var csv = new StringBuilder();
            csv.Append(string.Join(',', Header)).Append("\r\n");
            foreach (var r in rows)
                csv.Append(string.Join(',', Values(r, zone).Select(v => Csv(v?.ToString()))) ).Append("\r\n");
            // A BOM so that spreadsheet programs read the UTF-8 (Chinese reasons, zone names) as UTF-8.
            return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", name + ".csv");
        }
        var sheet = rows.Select(r => Header.Zip(Values(r, zone, excel: true)).ToDictionary(x => x.First, x => x.Second)).ToList();
        if (sheet.Count == 0) sheet.Add(Header.ToDictionary(h => h, _ => (object?)null)); // keep the header row in an empty sheet
        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, sheetName: serial, cancellationToken: ct);
        stream.Position = 0;
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }

    /// <summary>Excel gets numbers it can sum; CSV and JSON get the API's invariant strings.</summary>
    static object?[] Values(Row r, TimeZoneInfo zone, bool excel = false)
    {
        object? Q(long? milli) => milli is not { } m ? null : excel ? ApiFormat.FromMilli(m) : Milli(m);
        return
        [
            ApiFormat.Instant(r.AtMs, zone), Q(r.TotalMilli), Q(r.SharpMilli), Q(r.PeakMilli), Q(r.FlatMilli), Q(r.ValleyMilli), r.Status, r.Reason,
            Q(r.QuantityMilli), r.AmountFen is not { } f ? null : excel ? f / 100m : ApiFormat.Amount(f),
            r.Source, excel ? r.Source == ReadingSources.Estimate : r.Source == ReadingSources.Estimate ? "true" : "false", r.EnteredByName, r.EnteredAtMs is { } e ? ApiFormat.Instant(e, zone) : null,
            r.PowerW is { } w ? Prepaid.Api.Alarms.OverloadAlarms.Kw(w) : null,
        ];
    }

    static string Milli(long milli) => ApiFormat.Decimal(ApiFormat.FromMilli(milli));

    static string Day(DateTimeOffset? bound, long? rowMs, TimeZoneInfo zone) =>
        (bound is { } b ? TimeZoneInfo.ConvertTime(b, zone) : rowMs is { } ms ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone) : (DateTimeOffset?)null)
        ?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? "none";

    static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? '"' + value.Replace("\"", "\"\"") + '"' : value;
}
