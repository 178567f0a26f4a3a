namespace Prepaid.Api.Notifications;

/// <summary>What a tenant can be told, and the words each channel uses (SMS and WeChat carry the parameters to their templates).</summary>
public static class NotificationKinds
{
    public const string LowBalance1 = "lowBalance1", LowBalance2 = "lowBalance2", SupplyCutSoon = "supplyCutSoon", SupplyCut = "supplyCut",
        SupplyRestored = "supplyRestored", PaymentReceived = "paymentReceived", Leak = "leak", StatementReady = "statementReady";

    /// <summary>A message kind no one subscribes to by name: it goes to those who subscribed to <see cref="Leak"/>.</summary>
    public const string LeakCleared = "leakCleared";

    /// <summary>The kinds a tenant subscribes to.</summary>
    public static readonly string[] All = [LowBalance1, LowBalance2, SupplyCutSoon, SupplyCut, SupplyRestored, PaymentReceived, Leak, StatementReady];

    /// <summary>Every kind a message can have (the operator's filter).</summary>
    public static readonly string[] Messages = [.. All, LeakCleared];

    /// <summary>The subscription kind that carries a message kind.</summary>
    public static string SubscribedAs(string kind) => kind == LeakCleared ? Leak : kind;

    /// <summary>A message's state: waiting for the tenant's quiet hours to end, due (or waiting for a retry), sent, given up.</summary>
    public const string Quiet = "quiet", Pending = "pending", Sent = "sent", Failed = "failed";

    public static readonly string[] States = [Quiet, Pending, Sent, Failed];

    public static readonly string[] Channels = ["sms", "wechat", "email"];

    /// <summary>Subject and body of a message, in Chinese with the English below (a tenant's language is not stored).</summary>
    public static (string Subject, string Body) Text(string kind, IReadOnlyDictionary<string, string> p)
    {
        string P(string name) => p.GetValueOrDefault(name, "");
        return kind switch
        {
            LowBalance1 => ($"余额不足提醒 Low balance (account {P("account")})",
                $"您的账户 {P("account")} 余额 ¥{P("balance")}，已低于一级告警线，请及时充值。\nAccount {P("account")}: balance ¥{P("balance")} is below alarm 1. Please top up."),
            LowBalance2 => ($"余额严重不足 Balance very low (account {P("account")})",
                $"您的账户 {P("account")} 余额 ¥{P("balance")}，已低于二级告警线，即将停止供应，请尽快充值。\nAccount {P("account")}: balance ¥{P("balance")} is below alarm 2; supply will soon be cut. Please top up."),
            SupplyCutSoon => ($"即将停止供应 Supply to be cut at {P("time")}",
                $"您的账户 {P("account")} 已欠费（余额 ¥{P("balance")}），将于 {P("time")} 停止供应，充值后自动恢复。\nAccount {P("account")} is in arrears (¥{P("balance")}): supply will be cut at {P("time")}."),
            SupplyCut => ($"已停止供应 Supply cut (meter {P("meter")})",
                $"表 {P("meter")} 已于 {P("time")} 停止供应，充值后自动恢复。\nMeter {P("meter")}: supply was cut at {P("time")}; it comes back once you top up."),
            SupplyRestored => ($"已恢复供应 Supply restored (meter {P("meter")})",
                $"表 {P("meter")} 已于 {P("time")} 恢复供应。\nMeter {P("meter")}: supply was restored at {P("time")}."),
            PaymentReceived => ($"充值到账 Payment received ¥{P("amount")}",
                $"您的账户 {P("account")} 已到账 ¥{P("amount")}（{ChannelZh(P("channel"))}），当前余额 ¥{P("balance")}。\nAccount {P("account")}: ¥{P("amount")} credited ({ChannelEn(P("channel"))}), balance ¥{P("balance")}."),
            Leak => ($"疑似漏水 Possible leak (meter {P("meter")})",
                $"水表 {P("meter")} 自 {P("since")} 起持续有流量，疑似漏水，请检查。\nWater meter {P("meter")} has had flow without a break since {P("since")}: please check for a leak."),
            LeakCleared => ($"漏水已停止 Leak stopped (meter {P("meter")})",
                $"水表 {P("meter")} 已有一小时无流量，漏水告警已于 {P("time")} 解除。\nWater meter {P("meter")} had an hour without flow: the leak alarm was cleared at {P("time")}."),
            StatementReady => ($"对账单已生成 Statement ready ({P("period")})",
                $"您的账户 {P("account")} {P("period")} 的对账单已生成，可在手机页面下载。\nThe {P("period")} statement of account {P("account")} is ready to download on your phone page."),
            _ => (kind, string.Join(", ", p.Select(kv => $"{kv.Key}={kv.Value}"))),
        };
    }

    static string ChannelZh(string channel) => channel switch
    {
        "cash" => "现金", "card" => "刷卡", "bank" => "银行转账", "alipay" => "支付宝", "wechat" => "微信支付", _ => channel,
    };

    static string ChannelEn(string channel) => channel switch
    {
        "cash" => "cash", "card" => "card", "bank" => "bank transfer", "alipay" => "Alipay", "wechat" => "WeChat Pay", _ => channel,
    };
}
