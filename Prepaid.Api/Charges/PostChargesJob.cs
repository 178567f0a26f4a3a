using Quartz;

namespace Prepaid.Api.Charges;

/// <summary>
/// Every hour: the charges that fell due (R28). Periods fall due at local midnight of their due day in each site's zone,
/// so an hourly run posts each within the hour whatever the zone; a run that finds nothing due posts nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PostChargesJob(ChargeRun run, TimeProvider time, ILogger<PostChargesJob> log) : IJob
{
    public static readonly JobKey Key = new("post-charges", "charges");

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        try
        {
            var posted = await run.RunAsync(time.GetUtcNow(), ct);
            if (posted.Count > 0) log.LogInformation("Posted {Count} due charges", posted.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next run posts what this one could not: each period is keyed, so nothing is posted twice.
            log.LogError(e, "Posting due charges failed");
        }
    }
}
