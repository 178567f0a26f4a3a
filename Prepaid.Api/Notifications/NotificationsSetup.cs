using Quartz;

namespace Prepaid.Api.Notifications;

public static class NotificationsSetup
{
    public static void AddNotifications(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<NotificationsOptions>(config.GetSection(NotificationsOptions.Section));
        services.AddSingleton<NotificationOutbox>();
        services.AddHttpClient<AliyunSmsChannel>();
        services.AddHttpClient<WeChatTemplateChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<AliyunSmsChannel>());
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<WeChatTemplateChannel>());
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddSingleton<NotificationDispatcher>();
        var seconds = config.GetValue($"{NotificationsOptions.Section}:IntervalSeconds", 15);
        if (seconds <= 0) return;
        services.AddQuartz(q => q.ScheduleJob<NotificationsJob>(
            t => t.WithIdentity("notifications-every-interval", "notifications").StartNow()
                .WithSimpleSchedule(x => x.WithInterval(TimeSpan.FromSeconds(seconds)).RepeatForever()),
            j => j.WithIdentity(NotificationsJob.Key)));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }
}
