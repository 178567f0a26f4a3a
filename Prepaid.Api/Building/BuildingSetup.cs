using Quartz;

namespace Prepaid.Api.Building;

/// <summary>The building's checks and money: circuits (R32), leak alarms (R33), the compensation quota (R35).</summary>
public static class BuildingSetup
{
    /// <summary>The checks run every five minutes with the device layer's jobs (<c>Prepaid:Devices:Background</c>); tests call <see cref="BuildingChecks"/> by hand.</summary>
    public static void AddBuilding(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BuildingChecks>();
        builder.Services.AddSingleton<CompensationRunner>();
        if (!builder.Configuration.GetValue("Prepaid:Devices:Background", true)) return;
        builder.Services.AddQuartz(q => q.ScheduleJob<BuildingChecksJob>(
            t => t.WithIdentity("building-checks-every-5-minutes", "building").StartNow().WithSimpleSchedule(x => x.WithInterval(BuildingChecksJob.Interval).RepeatForever()),
            j => j.WithIdentity(BuildingChecksJob.Key)));
    }

    public static void MapBuilding(this IEndpointRouteBuilder app)
    {
        app.MapCircuits();
        app.MapCompensations();
    }
}
