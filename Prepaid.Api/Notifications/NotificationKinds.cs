namespace Prepaid.Api.Notifications;

/// <summary>What a tenant can be told, and the words each channel uses (SMS and WeChat carry the parameters to their templates).</summary>
public static class NotificationKinds
{
    public const string LowBalance1 = "lowBalance1", LowBalance2 = "lowBalance2", SupplyCutSoon = "supplyCutSoon", SupplyCut = "supplyCut",
        SupplyRestored = "supplyRestored", PaymentReceived = "paymentReceived", Leak = "leak", StatementReady = "statementReady";

    public static readonly string[] All = [LowBalance1, LowBalance2, SupplyCutSoon, SupplyCut, SupplyRestored, PaymentReceived, Leak, StatementReady];

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
                $"您的账户 {P("account")} 已到账 ¥{P("amount")}（{P("channel")}），当前余额 ¥{P("balance")}。\nAccount {P("account")}: ¥{P("amount")} credited ({P("channel")}), balance ¥{P("balance")}."),
            Leak => ($"疑似漏水 Possible leak (meter {P("meter")})",
                $"水表 {P("meter")} 自 {P("since")} 起持续有流量，疑似漏水，请检查。\nWater meter {P("meter")} has had flow without a break since {P("since")}: please check for a leak."),
            StatementReady => ($"对账单已生成 Statement ready ({P("period")})",
                $"您的账户 {P("account")} {P("period")} 的对账单已生成，可在手机页面下载。\nThe {P("period")} statement of account {P("account")} is ready to download on your phone page."),
            _ => (kind, string.Join(", ", p.Select(kv => $"{kv.Key}={kv.Value}"))),
        };
    }
}
