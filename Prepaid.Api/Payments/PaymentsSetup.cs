using Prepaid.Payments.Alipay;
using Prepaid.Api.Demo;
using Prepaid.Api.Payments.Channels;
using Prepaid.Api.Payments.Demo;
using Prepaid.Api.Payments.Notifications;
using Prepaid.Api.Payments.Orders;
using Prepaid.Api.Payments.Reconciliation;
using Prepaid.Api.Payments.Refunds;
using Prepaid.Payments.WeChatPay;
using Quartz;

namespace Prepaid.Api.Payments;

/// <summary>The payments feature's registrations and routes, so Program.cs carries two lines of it.</summary>
public static class PaymentsSetup
{
    public static void AddPayments(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(PaymentsOptions.Section).Get<PaymentsOptions>() ?? new PaymentsOptions();
        options.DemoGatewaysUrl = builder.Configuration[DemoPlatforms.UrlKey];
        // Without configured urls the address is known only once Kestrel has bound (port 0): the page asks the server then.
        if (builder.Configuration["urls"] is { Length: > 0 } urls) options.DemoNotifyBaseUrl ??= DemoPayPage.OwnAddress(urls);
        services.AddSingleton(options);

        // A channel exists when it is configured (by `--demo`, from the fakes); each gets a typed HttpClient over our own signed client.
        var alipay = AddConfigured<AlipayOptions>(builder, "Alipay", o => o.AppId);
        var wechat = AddConfigured<WeChatPayOptions>(builder, "WeChatPay", o => o.MchId);
        if (alipay)
        {
            services.AddHttpClient<AlipayClient>();
            services.AddTransient<AlipayChannel>();
            services.AddSingleton<AlipayNotificationVerifier>();
        }
        if (wechat)
        {
            services.AddHttpClient<WeChatPayClient>();
            services.AddTransient<WeChatPayChannel>();
            services.AddSingleton(sp => new WeChatPayNotificationVerifier(sp.GetRequiredService<WeChatPayOptions>(), sp.GetRequiredService<TimeProvider>()));
        }
        services.AddHttpClient(DemoPayPage.NotifyClient);
        if (options.DemoGatewaysUrl is { } gateways)
            services.AddHttpClient(DemoPayPage.GatewaysClient, c => c.BaseAddress = new Uri(gateways.TrimEnd('/') + "/"));
        services.AddTransient<PendingPayments>();
        services.AddTransient<DailyReconciliation>();

        // Quartz takes the container's TimeProvider, so tests drive these jobs with their fake clock.
        services.AddQuartz(q =>
        {
            if (!options.ScheduleJobs) return;
            q.AddJob<PendingPaymentsJob>(j => j.WithIdentity(PendingPaymentsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(PendingPaymentsJob.Key).WithIdentity("payments-pending")
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(Math.Max(5, options.QueryEverySeconds))).RepeatForever()));
            q.AddJob<ReconciliationJob>(j => j.WithIdentity(ReconciliationJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ReconciliationJob.Key).WithIdentity("payments-reconcile")
                // Shanghai by its id where the system knows it: a clustered job store keeps the zone's id and another node
                // must find it again (the fixed-offset custom zone cannot be found by id).
                .WithCronSchedule(options.ReconcileCron, c => c.InTimeZone(
                    TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var shanghai) ? shanghai : PaymentClock.ChinaZone)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    static bool AddConfigured<T>(WebApplicationBuilder builder, string name, Func<T, string?> id) where T : class
    {
        var section = builder.Configuration.GetSection($"{PaymentsOptions.Section}:{name}");
        if (!section.Exists()) return false;
        var value = section.Get<T>();
        if (value is null || string.IsNullOrEmpty(id(value))) return false;
        builder.Services.AddSingleton(value);
        return true;
    }

    public static void MapPayments(this WebApplication app)
    {
        app.MapPaymentOrders();
        app.MapPaymentNotifications();
        app.MapRefunds();
        app.MapReconciliation();
        if (app.Services.GetRequiredService<PaymentsOptions>().DemoGatewaysUrl is not null) app.MapDemoPayPage();
    }
}
