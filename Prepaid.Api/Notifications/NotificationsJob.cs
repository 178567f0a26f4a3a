using Quartz;

namespace Prepaid.Api.Notifications;

/// <summary>
/// Runs the dispatcher every <c>Prepaid:Notifications:IntervalSeconds</c> (15; 0 schedules nothing, as tests do). A Quartz
/// job so that with several nodes the clustered store fires it on one of them per interval; the row claims keep a
/// message from going twice even when a stalled run and the next one overlap.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NotificationsJob(NotificationDispatcher dispatcher, ILogger<NotificationsJob> log) : IJob
{
    public static readonly JobKey Key = new("notifications", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await dispatcher.RunOnceAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The next interval tries again; what this run claimed and could not send is retried once its claim lapses.
            log.LogError(e, "Notification run failed");
        }
    }
}
