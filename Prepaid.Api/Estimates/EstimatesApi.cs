using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Dapper;
using FluentValidation;
using Prepaid.Api.Auth;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Api.Tenancy;
using Quartz;

namespace Prepaid.Api.Estimates;

/// <summary>An operator asks for the estimate of one meter's day (R30).</summary>
public sealed record EstimateRequest([property: Description("The day in the site's zone, yyyy-MM-dd, 2000-01-01 … 2099-12-31."), RegularExpression(Limits.DayPattern)] string? Day);

public sealed class EstimateRequestValidator : AbstractValidator<EstimateRequest>
{
    public EstimateRequestValidator() =>
        RuleFor(r => r.Day).Must(d => Limits.TryDay(d, out _)).WithMessage(Limits.DayRule);
}

public static class EstimatesApi
{
    /// <summary>
    /// <c>Prepaid:Quality:Jobs</c> (default true) schedules R30's daily pass (hourly, see <see cref="EstimateDaysJob"/>) and the
    /// calibration-due pass; tests that drive them with their own <c>now</c> turn it off.
    /// </summary>
    public static void AddEstimates(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DailyEstimates>();
        builder.Services.AddSingleton<IReadingEstimator, EstimatedFinalReading>();
        if (!builder.Configuration.GetValue("Prepaid:Quality:Jobs", true)) return;
        builder.Services.AddQuartz(q => q.ScheduleJob<EstimateDaysJob>(
            t => t.WithIdentity("estimate-days-hourly", "quality").StartNow().WithSimpleSchedule(x => x.WithInterval(EstimateDaysJob.Interval).RepeatForever()),
            j => j.WithIdentity(EstimateDaysJob.Key)));
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    public static void MapEstimates(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/meters/{meterId:long}/estimates", Estimate).WithTags("Meters").CheckParameters()
            .Validate<EstimateRequest, EstimateRequestValidator>().RequireAuthorization(Roles.Manage)
            .WithSummary("Estimate a meter's day without readings (R30): the estimated reading, billed like a reading, or 422 with why there is none");
    }

    static async Task<IResult> Estimate(long meterId, EstimateRequest request, ClaimsPrincipal user, Db db, DailyEstimates estimates, TimeProvider time, CancellationToken ct)
    {
        Limits.TryDay(request.Day, out var day);
        TimeZoneInfo zone;
        await using (var connection = await db.OpenAsync(ct))
        {
            var meter = await connection.QuerySingleOrDefaultAsync<(long SiteId, string TimeZone)?>(
                "SELECT m.site_id, s.time_zone FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.id = @meterId", new { meterId });
            if (meter is not { } m || !user.MaySee(m.SiteId)) return Problems.NotFound($"Meter {meterId}");
            zone = ApiFormat.Zone(m.TimeZone);
        }
        var (outcome, input) = await estimates.EstimateDayAsync(meterId, day, time.GetUtcNow(), ct);
        if (outcome.Status != "billed" || input is null)
            return Problems.Refused("day", outcome.Reason ?? "No estimate.", "No estimate for that day (R30).");
        return TypedResults.Created($"/api/meters/{meterId}/readings", new
        {
            meterId, day = request.Day, at = ApiFormat.Instant(input.At.ToUnixTimeMilliseconds(), zone),
            // As stored (thousandths), so the registers read as everywhere else.
            registers = RegisterJson.Of(ApiFormat.Milli(input.Registers.Total), null, null, null, null), status = outcome.Status, estimated = true, source = input.Source,
            amount = outcome.AmountFen is { } f ? ApiFormat.Amount(f) : null, reason = outcome.Reason,
        });
    }
}
