using System.Data.Common;
using Dapper;
using Prepaid.Api.Notifications;

namespace Prepaid.Api.Demo;

/// <summary>
/// `--demo`: the demo's tenants subscribe, so the demo site's notifications page fills as balances fall and money comes
/// in. The channels go to the fakes process (SendSms, WeChat templates, a loopback SMTP server; see DemoPlatforms)
/// unless configured for real.
/// </summary>
public static class DemoNotifications
{
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
