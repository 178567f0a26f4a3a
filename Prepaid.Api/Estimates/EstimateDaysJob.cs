using Quartz;

namespace Prepaid.Api.Estimates;

/// <summary>Every hour: R30's daily pass (<see cref="DailyEstimates.RunAsync"/>). Each site's yesterday is estimated within an
/// hour of its local midnight; a pass that finds the day estimated does nothing.</summary>
[DisallowConcurrentExecution]
public sealed class EstimateDaysJob(DailyEstimates estimates, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("estimate-days", "quality");

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await estimates.RunAsync(time.GetUtcNow(), cancellationToken);
}
