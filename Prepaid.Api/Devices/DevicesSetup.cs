using Prepaid.Api.Devices.NbIot;
using Quartz;

namespace Prepaid.Api.Devices;

/// <summary>The device layer's registrations and endpoints, called from Program.cs in one block.</summary>
public static class DevicesSetup
{
    /// <summary>
    /// <c>Prepaid:Devices:Background</c> (default true) runs the poller (Quartz, every second, each bus on its own
    /// interval), the switch reconciliation and the NB-IoT presence check (Quartz, every minute) and the dispatcher loop. Tests that drive them by
    /// hand turn it off.
    /// </summary>
    public static void AddDevices(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton<DeviceEventBus>();
        s.AddSingleton<BusLinks>();
        s.AddSingleton<MeterStatusWriter>();
        s.AddSingleton<BusPoller>();
        s.AddSingleton<CommandQueue>();
        s.AddSingleton<CommandStateWriter>();
        s.AddSingleton<CommandDispatcher>();
        s.AddSingleton<DispatcherSignal>();
        s.AddSingleton<SwitchReconciliation>();
        s.AddSingleton<NbIotCommandSender>();
        s.AddSingleton<NbIotInbox>();
        s.AddSingleton<NbIotPresenceCheck>();
        // One token cache for all IoTDA gateways: IAM tokens live 24 h and are shared by every command of an account.
        s.AddSingleton(sp => new Prepaid.Devices.NbIot.IotdaTokens(sp.GetRequiredService<TimeProvider>()));
        s.AddHttpClient("nbiot", c => c.Timeout = TimeSpan.FromSeconds(15));
        if (!builder.Configuration.GetValue("Prepaid:Devices:Background", true)) return;
        // Quartz takes the container's TimeProvider (the same clock as everything else).
        // With several nodes every node polls its own leased buses, so the poll tick is each process's own loop rather
        // than a job of the clustered store (which would fire on one node only).
        var clustered = Cluster.ClusterOptions.IsEnabled(builder.Configuration);
        if (clustered) s.AddHostedService<PollBusesLoop>();
        s.AddQuartz(q =>
        {
            if (!clustered)
                q.ScheduleJob<PollBusesJob>(
                    t => t.WithIdentity("poll-buses-every-second", "devices").StartNow().WithSimpleSchedule(x => x.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever()),
                    j => j.WithIdentity(PollBusesJob.Key));
            q.ScheduleJob<ReconcileSwitchesJob>(
                t => t.WithIdentity("reconcile-switches-every-minute", "devices").StartNow().WithSimpleSchedule(x => x.WithInterval(ReconcileSwitchesJob.Interval).RepeatForever()),
                j => j.WithIdentity(ReconcileSwitchesJob.Key));
            q.ScheduleJob<CheckNbIotPresenceJob>(
                t => t.WithIdentity("check-nbiot-presence-every-minute", "devices").StartNow().WithSimpleSchedule(x => x.WithInterval(CheckNbIotPresenceJob.Interval).RepeatForever()),
                j => j.WithIdentity(CheckNbIotPresenceJob.Key));
        });
        s.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        s.AddHostedService<DispatcherService>();
    }

    public static void MapDevices(this IEndpointRouteBuilder app)
    {
        app.MapGateways();
        app.MapCommands();
        app.MapNbIotCallbacks();
    }
}
