namespace Prepaid.Api.Statements;

/// <summary>The words a printed or spreadsheet statement is headed with, in Chinese or English (from Accept-Language).</summary>
public sealed record StatementLabels(
    string Title, string Site, string Tenant, string Account, string Period, string TimeZone, string Opening, string Closing,
    string At, string Kind, string Amount, string Count, string Explanation, string Periods, string Page, string Lines, string Summary,
    IReadOnlyDictionary<string, string> Kinds)
{
    public static readonly StatementLabels Chinese = new("对账单", "站点", "租户", "账户", "期间", "时区", "期初余额", "期末余额",
        "时间", "类型", "金额", "笔数", "说明", "分期汇总", "页", "明细", "汇总",
        new Dictionary<string, string>
        {
            ["consumption"] = "用电用水", ["topup"] = "充值", ["apportionment"] = "公摊", ["refund"] = "退款", ["refund_returned"] = "退款退回",
            ["adjustment"] = "调整", ["charge"] = "费用", ["heat"] = "供热分摊", ["compensation"] = "补偿",
        });

    public static readonly StatementLabels English = new("Statement", "Site", "Tenant", "Account", "Period", "Time zone", "Opening balance",
        "Closing balance", "At", "Kind", "Amount", "Count", "Explanation", "By period", "Page", "Lines", "Summary",
        new Dictionary<string, string>
        {
            ["consumption"] = "Consumption", ["topup"] = "Top-up", ["apportionment"] = "Shared cost", ["refund"] = "Refund",
            ["refund_returned"] = "Refund returned", ["adjustment"] = "Adjustment", ["charge"] = "Charge", ["heat"] = "Heat allocation",
            ["compensation"] = "Compensation",
        });

    public static StatementLabels For(string? acceptLanguage) =>
        acceptLanguage is not null && acceptLanguage.TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    public string KindName(string kind) => Kinds.GetValueOrDefault(kind, kind);
}

/// <summary>Who and where a statement is for, as printed at its head.</summary>
public sealed record StatementHeading(string SiteName, string TenantName, long AccountId, string Period);
