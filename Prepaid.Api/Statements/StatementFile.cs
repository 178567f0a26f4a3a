using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Statements;

/// <summary>A statement as a file: PDF (PDFsharp) or xlsx (MiniExcel), named after the account and the period.</summary>
public static class StatementFile
{
    public const string FontSetting = "Prepaid:Statements:FontFile";
    public const string Pdf = "application/pdf";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public sealed record Rendered(byte[]? Bytes, string ContentType, string FileName, IResult? Problem);

    public static async Task<StatementHeading> HeadingAsync(DbConnection connection, long accountId, string period)
    {
        var names = await connection.QuerySingleAsync<(string Site, string Tenant)>(
            "SELECT s.name, t.name FROM accounts a JOIN sites s ON s.id = a.site_id JOIN tenants t ON t.id = a.tenant_id WHERE a.id = @accountId", new { accountId });
        return new StatementHeading(names.Site, names.Tenant, accountId, period);
    }

    public static async Task<Rendered> RenderAsync(Statement.Data data, StatementHeading heading, StatementLabels labels, string format,
        IConfiguration config, CancellationToken ct)
    {
        var fileName = $"statement-{heading.AccountId}-{heading.Period}.{format}";
        if (format == "xlsx") return new Rendered(await StatementXlsx.RenderAsync(data, heading, labels, ct), Xlsx, fileName, null);
        if (StatementFonts.Install(config[FontSetting], out var missing) is null)
            return new Rendered(null, Pdf, fileName, TypedResults.Problem(title: "Statements cannot be drawn as PDF on this server.", detail: missing, statusCode: StatusCodes.Status503ServiceUnavailable));
        return new Rendered(StatementPdf.Render(data, heading, labels), Pdf, fileName, null);
    }
}
