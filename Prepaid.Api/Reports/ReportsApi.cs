using Prepaid.Api.Localization;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using MiniExcelLibs;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;

namespace Prepaid.Api.Reports;

public static class ReportsApi
{
    public static readonly string[] Names = ["sales", "consumption", "offline", "alarms", "commands", "charges"];

    public static void MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{name}", Run).RequireAuthorization(Roles.Staff).WithTags("Reports").CheckParameters()
            .WithSummary("sales, consumption, offline, alarms, commands or charges over [from, to); format=json (default) or xlsx");
    }

    static async Task<IResult> Run(string name, ClaimsPrincipal user, Db db, DashboardGrid grid, TimeProvider time, CancellationToken ct,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? from = null,
        [Description(ReportQuery.BoundDoc), MaxLength(ReportQuery.BoundMax)] string? to = null, long? siteId = null,
        [Description("json or xlsx.")] string format = "json")
    {
        if (!Names.Contains(name)) return Problems.Field("name", $"Must be one of {string.Join(", ", Names)}.", StatusCodes.Status404NotFound, $"There is no report '{name}'.");
        if (format is not ("json" or "xlsx")) return Problems.Field("format", "Must be json or xlsx.");
        if (siteId is { } s && !user.MaySee(s)) return Problems.NotFound($"Site {s}");

        await using var connection = await db.OpenAsync(ct);
        var zoneId = siteId is null ? "UTC" : await connection.ExecuteScalarAsync<string?>("SELECT time_zone FROM sites WHERE id = @siteId", new { siteId });
        if (zoneId is null) return Problems.NotFound($"Site {siteId}");
        if (!ReportQuery.TryParse(from, to, siteId, user.SitesJson(), ApiFormat.Zone(zoneId), out var q, out var problem)) return problem!;

        var table = name switch
        {
            "sales" => await SalesReport.RunAsync(connection, db, q),
            "consumption" => await ConsumptionReport.RunAsync(connection, db, q),
            "offline" => await OfflineReport.RunAsync(connection, db, q, time.GetUtcNow().ToUnixTimeMilliseconds(), grid.OfflineAfter),
            "alarms" => await AlarmsReport.RunAsync(connection, db, q),
            "charges" => await ChargesReport.RunAsync(connection, db, q),
            _ => await CommandsReport.RunAsync(connection, db, q),
        };
        if (table is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status501NotImplemented, type: "about:blank",
                title: "The command log arrives with the device layer: its command table does not exist in this build.");

        if (format == "json")
            return TypedResults.Ok(new { name, from = q.Local(q.FromMs), to = q.Local(q.ToMs), siteId, note = Catalog.LocalizeOrNull(table.Note), rows = table.AsJson() });

        var stream = new MemoryStream();
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        var rows = table.AsExcel(culture).ToList();
        if (rows.Count == 0) rows.Add(table.ExcelHeaders(culture).ToDictionary(h => h, _ => (object?)null)); // keep the header row in an empty sheet
        await stream.SaveAsAsync(rows, sheetName: ReportWords.Title(name, culture), cancellationToken: ct);
        stream.Position = 0;
        return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"{name}-{q.LocalDay(q.FromMs)}-{q.LocalDay(q.ToMs - 1)}.xlsx");
    }
}
