using Quartz;

namespace Prepaid.Api.Devices;

/// <summary>Every second: start a lane for each bus whose poll interval has passed. The lanes run on by themselves,
/// so one slow bus never delays another's schedule.</summary>
[DisallowConcurrentExecution]
public sealed class PollBusesJob(BusPoller poller) : IJob
{
    public static readonly JobKey Key = new("poll-buses", "devices");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await poller.StartDueAsync(cancellationToken);
}
