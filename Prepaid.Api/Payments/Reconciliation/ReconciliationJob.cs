using Prepaid.Api.Payments.Channels;
using Quartz;

namespace Prepaid.Api.Payments.Reconciliation;

/// <summary>Every night (China time) reconciles yesterday for each configured channel.</summary>
[DisallowConcurrentExecution]
public sealed class ReconciliationJob(DailyReconciliation reconciliation, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("payments-reconcile", "payments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var yesterday = PaymentClock.ChinaDay(time.GetUtcNow()).AddDays(-1);
        foreach (var channel in PaymentChannels.Names)
            await reconciliation.RunAsync(channel, yesterday, ct);
    }
}
