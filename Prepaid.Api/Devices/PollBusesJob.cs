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

/// <summary>The same tick in cluster mode, in every node's own process: each node starts the lanes of the buses it leases.</summary>
public sealed class PollBusesLoop(BusPoller poller, ILogger<PollBusesLoop> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time: this only paces the check; each bus keeps its own interval in the table.
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try { await poller.StartDueAsync(stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Starting the due buses failed; the next tick retries."); }
        }
        while (await tick.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }
}
