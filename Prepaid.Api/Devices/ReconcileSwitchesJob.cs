using Quartz;

namespace Prepaid.Api.Devices;

/// <summary>Every minute: one R16a pass over the switch states accounts require (see <see cref="SwitchReconciliation"/>).
/// The back-off is counted in minutes, so a minute's tick asks again within a minute of it running out.</summary>
[DisallowConcurrentExecution]
public sealed class ReconcileSwitchesJob(SwitchReconciliation reconciliation, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("reconcile-switches", "devices");

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reconciliation.RunAsync(time.GetUtcNow(), cancellationToken);
}
