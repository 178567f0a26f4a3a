using Quartz;

namespace Prepaid.Api.Devices.NbIot;

/// <summary>Every minute: NB-IoT meters that missed their expected reports turn offline (<see cref="NbIotPresenceCheck"/>).</summary>
[DisallowConcurrentExecution]
public sealed class CheckNbIotPresenceJob(NbIotPresenceCheck check, TimeProvider time, ILogger<CheckNbIotPresenceJob> log) : IJob
{
    public static readonly JobKey Key = new("check-nbiot-presence", "devices");

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await check.RunOnceAsync(time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next minute tries again; a busy database must not stop the schedule.
            log.LogWarning(e, "NB-IoT presence check failed.");
        }
    }
}
