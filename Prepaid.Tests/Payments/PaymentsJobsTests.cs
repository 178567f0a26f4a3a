using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Payments.Orders;
using Prepaid.Api.Payments.Reconciliation;
using Prepaid.Tests.Support;
using Quartz;

namespace Prepaid.Tests.Payments;

public class PaymentsJobsTests
{
    [Fact]
    public async Task Scheduler_HoldsThePendingOrdersAndReconciliationJobs()
    {
        using var app = new PrepaidApp();
        using var _ = app.CreateClient();
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.True(await scheduler.Exists(PendingPaymentsJob.Key));
        Assert.True(await scheduler.Exists(ReconciliationJob.Key));
        var triggers = await scheduler.GetTriggersOfJob(ReconciliationJob.Key);
        Assert.Equal("0 30 2 * * ?", Assert.IsAssignableFrom<ICronTrigger>(Assert.Single(triggers)).CronExpressionString);
    }
}
