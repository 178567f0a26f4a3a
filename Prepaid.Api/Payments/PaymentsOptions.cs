namespace Prepaid.Api.Payments;

/// <summary>
/// <c>Prepaid:Payments:*</c>. The channels' own settings (merchant ids, keys, certificates, gateway URLs) sit under
/// <c>Prepaid:Payments:Alipay</c> and <c>Prepaid:Payments:WeChatPay</c> and come from user secrets or the environment.
/// </summary>
public sealed class PaymentsOptions
{
    public const string Section = "Prepaid:Payments";

    /// <summary>
    /// `--demo`: where the stand-in gateways answer (the Prepaid.Fakes process, <c>Prepaid:Demo:FakesUrl</c>); the demo's
    /// confirm page asks them to pay. Null in production: no confirm page, no demo address in order answers.
    /// </summary>
    public string? DemoGatewaysUrl { get; set; }

    /// <summary>How long a tenant has to pay before the order expires and is closed at the channel.</summary>
    public int OrderLifetimeMinutes { get; set; } = 15;

    /// <summary>An order still pending this long is asked about at the channel: a notification may have been lost.</summary>
    public int QueryAfterMinutes { get; set; } = 2;

    public int QueryEverySeconds { get; set; } = 30;

    /// <summary>Schedule the jobs with Quartz; tests turn this off and run them by hand at the instants they choose.</summary>
    public bool ScheduleJobs { get; set; } = true;

    /// <summary>
    /// The origin payers see (https://pay.example.com) when a proxy stands in front: a payment's return address must be
    /// a page on it or on the request's own origin (Orders/ReturnUrls).
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Cron (China Standard Time) of the daily reconciliation of yesterday.</summary>
    public string ReconcileCron { get; set; } = "0 30 2 * * ?";

    /// <summary>A notification body larger than this answers 413 and is kept truncated; real ones are a few kilobytes.</summary>
    public int NotificationMaxBytes { get; set; } = 64 * 1024;

    /// <summary>Notifications per client address per minute; more answer 429 unstored, and the channel sends them again later.</summary>
    public int NotificationsPerAddressPerMinute { get; set; } = 120;

    /// <summary>
    /// `--demo`: this platform's own address, where the demo page's fake gateways deliver their notifications. By default
    /// the first http address in <c>urls</c> (wildcard hosts as localhost), else http://localhost:5000; never the request's Host.
    /// </summary>
    public string? DemoNotifyBaseUrl { get; set; }
}
