using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using System.Security.Claims;
using Dapper;
using FluentValidation;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Statements;

public sealed record StatementRunRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: Description("The calendar year in the site's zone."), Range(2000, 2099)] int Year,
    [property: Description("pdf (default) or xlsx."), RegularExpression("^(pdf|xlsx)$")] string? Format);

public sealed class StatementRunValidator : AbstractValidator<StatementRunRequest>
{
    public StatementRunValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Year).InclusiveBetween(2000, 2099);
        RuleFor(r => r.Format).Must(f => f is null or "pdf" or "xlsx").WithMessage("Must be pdf or xlsx.");
    }
}

/// <summary>
/// The year's statements of a whole site at one press (R36): every account open at some time in the year gets its
/// statement grouped by month, all in one zip; each tenant then hears "statement ready" on the channels they chose.
/// </summary>
public static class StatementRun
{
    public static async Task<IResult> RunAsync(StatementRunRequest r, ClaimsPrincipal user, Db db, IConfiguration config, HttpRequest request,
        Notifications.NotificationOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        var format = r.Format ?? "pdf";
        await using var connection = await db.OpenAsync(ct);
        var site = user.MaySee(r.SiteId)
            ? await connection.QuerySingleOrDefaultAsync<(long Id, string TimeZone)>("SELECT id, time_zone FROM sites WHERE id = @SiteId", new { r.SiteId })
            : default;
        if (site.Id == 0) return Problems.Field("siteId", $"Site {r.SiteId} does not exist.", StatusCodes.Status404NotFound, "The site was not found.");
        var zone = ApiFormat.Zone(site.TimeZone);
        var fromMs = Statement.LocalStart(new DateTime(r.Year, 1, 1), zone).ToUnixTimeMilliseconds();
        var toMs = Statement.LocalStart(new DateTime(r.Year + 1, 1, 1), zone).ToUnixTimeMilliseconds();
        var accounts = (await connection.QueryAsync<(long Id, long WalletLedgerId, long TenantId)>(
            """
            SELECT id, wallet_ledger_id, tenant_id FROM accounts
            WHERE site_id = @SiteId AND opened_at_ms < @toMs AND (closed_at_ms IS NULL OR closed_at_ms >= @fromMs) ORDER BY id
            """, new { r.SiteId, fromMs, toMs })).ToList();

        var labels = StatementLabels.For(request.Headers.AcceptLanguage);
        var period = r.Year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var a in accounts)
            {
                var data = await Statement.BuildDataAsync(connection, db.Dialect, a.Id, a.WalletLedgerId, site.TimeZone, fromMs, toMs, "month");
                var file = await StatementFile.RenderAsync(data, await StatementFile.HeadingAsync(connection, a.Id, period), labels, format, config, ct);
                if (file.Problem is not null) return file.Problem;
                var entry = archive.CreateEntry(file.FileName, CompressionLevel.Optimal);
                await using var s = await entry.OpenAsync(ct);
                await s.WriteAsync(file.Bytes, ct);
            }
        }
        await db.WriteGate.WaitAsync(ct);
        try
        {
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var a in accounts)
            {
                // The write gate is this node's: a run of the same year on another node may enqueue the same message first,
                // and the unique index then refuses the second copy, which is what should happen (no transaction to spoil).
                try { await outbox.StatementReadyAsync(connection, a.TenantId, a.Id, period, nowMs); }
                catch (System.Data.Common.DbException e) when (db.Dialect.IsUniqueViolation(e)) { }
            }
        }
        finally
        {
            db.WriteGate.Release();
        }
        return TypedResults.File(zip.ToArray(), "application/zip", $"statements-site{r.SiteId}-{period}.zip");
    }
}
