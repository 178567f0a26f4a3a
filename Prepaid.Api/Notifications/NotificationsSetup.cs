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
        services.AddHostedService<NotificationLoop>();
    }
}
