using Quartz;

namespace Prepaid.Api.ServiceJournal;

/// <summary>Every hour: the calibration-due pass (<see cref="CalibrationDue.RunAsync"/>); an alarm is raised once.</summary>
[DisallowConcurrentExecution]
public sealed class CalibrationDueJob(CalibrationDue calibration, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("calibration-due", "quality");

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await calibration.RunAsync(time.GetUtcNow(), cancellationToken);
}
