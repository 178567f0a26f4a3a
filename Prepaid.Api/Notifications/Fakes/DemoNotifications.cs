using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Notifications.Fakes;

/// <summary>
/// `--demo`: every channel that has no settings of its own goes to an in-process fake (SendSms and the WeChat template
/// API in <see cref="FakeNotificationGateway"/>, e-mail over real SMTP to <see cref="LoopbackSmtpServer"/>), and the
/// demo's tenants subscribe, so the demo site's notifications page fills as balances fall and money comes in. A
/// channel configured for real stays real.
/// </summary>
public static class DemoNotifications
{
    public static void AddDemoNotifications(this IServiceCollection services)
    {
        services.AddSingleton<FakeNotificationGateway>();
        services.AddSingleton(_ => new LoopbackSmtpServer { Keep = 1000 });
        services.AddOptions<NotificationsOptions>().PostConfigure<FakeNotificationGateway, LoopbackSmtpServer>((o, gateway, smtp) =>
        {
            if (o.Sms.Endpoint is null)
                (o.Sms.Endpoint, o.Sms.AccessKeyId, o.Sms.AccessKeySecret) = ($"https://{FakeNotificationGateway.SmsHost}/", gateway.AccessKeyId, gateway.AccessKeySecret);
            if (o.WeChat.Endpoint is null) (o.WeChat.Endpoint, o.WeChat.AccessToken) = ($"https://{FakeNotificationGateway.WeChatHost}/", gateway.WeChatToken);
            if (o.Email.Host is null) (o.Email.Host, o.Email.Port, o.Email.Security, o.Email.From) = ("127.0.0.1", smtp.Port, "none", "prepaid@demo.example");
        });
        foreach (var name in new[] { typeof(AliyunSmsChannel).Name, typeof(WeChatTemplateChannel).Name })
            services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(sp => new FakeNotificationGateway.Shared(sp.GetRequiredService<FakeNotificationGateway>()));
    }

    /// <summary>Shop <paramref name="shop"/>'s tenant hears every kind by SMS; every third also by e-mail, every fourth by WeChat; odd shops keep 22:00–07:00 quiet.</summary>
    public static async Task SubscribeAsync(DbConnection connection, DbTransaction tx, long tenantId, int shop, string phone, long nowMs)
    {
        var channels = new List<(string Channel, string Address)> { ("sms", phone) };
        if (shop % 3 == 0) channels.Add(("email", $"shop{shop:00}@demo.example"));
        if (shop % 4 == 0) channels.Add(("wechat", $"oDemo-openid-{shop:00}"));
        foreach (var (channel, address) in channels)
            await connection.ExecuteAsync("""
                INSERT INTO notification_subscriptions (tenant_id, channel, address, kinds, quiet_from, quiet_to, updated_at_ms)
                VALUES (@tenantId, @channel, @address, @kinds, @quietFrom, @quietTo, @nowMs)
                """, new
            {
                tenantId, channel, address, kinds = string.Join(',', NotificationKinds.All),
                quietFrom = shop % 2 == 1 ? "22:00" : null, quietTo = shop % 2 == 1 ? "07:00" : null, nowMs,
            }, tx);
    }
}
