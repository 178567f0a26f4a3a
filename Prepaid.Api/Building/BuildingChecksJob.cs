using Quartz;

namespace Prepaid.Api.Building;

/// <summary>Every five minutes: leak and circuit alarms (see <see cref="BuildingChecks"/>). Both judge whole hours or days, so
/// a pass soon after each hour starts is all they need; the rest find nothing to change.</summary>
[DisallowConcurrentExecution]
public sealed class BuildingChecksJob(BuildingChecks checks, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("building-checks", "building");

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await checks.RunAsync(time.GetUtcNow(), cancellationToken);
}
