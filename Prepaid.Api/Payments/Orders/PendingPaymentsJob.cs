using Quartz;

namespace Prepaid.Api.Payments.Orders;

/// <summary>Runs <see cref="PendingPayments"/> every half minute; never two at once, so an order is asked about by one run.</summary>
[DisallowConcurrentExecution]
public sealed class PendingPaymentsJob(PendingPayments pending) : IJob
{
    public static readonly JobKey Key = new("payments-pending", "payments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await pending.RunAsync(ct);
}
