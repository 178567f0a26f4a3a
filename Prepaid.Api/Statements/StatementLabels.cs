namespace Prepaid.Api.Statements;

/// <summary>The words a printed or spreadsheet statement is headed with, in Chinese or English (from Accept-Language).</summary>
public sealed record StatementLabels(
    string Title, string Site, string Tenant, string Account, string Period, string TimeZone, string Opening, string Closing,
    string At, string Kind, string Amount, string Count, string Explanation, string Periods, string Page, string Lines, string Summary,
    IReadOnlyDictionary<string, string> Kinds, bool Chinese)
{
    public static readonly StatementLabels InChinese = new("对账单", "站点", "租户", "账户", "期间", "时区", "期初余额", "期末余额",
        "时间", "类型", "金额", "笔数", "说明", "分期汇总", "页", "明细", "汇总",
        new Dictionary<string, string>
        {
            ["consumption"] = "用电用水", ["reestimate"] = "估算差额", ["topup"] = "充值", ["fee"] = "服务费", ["apportionment"] = "公摊",
            ["refund"] = "退款", ["refund_returned"] = "退款退回", ["adjustment"] = "调整", ["charge"] = "费用", ["heat"] = "热量分摊",
            ["compensation"] = "差额分摊", ["rent"] = "房租", ["property_fee"] = "物业费", ["service_fee"] = "服务费", ["reading_fee"] = "抄表费",
            ["other_charge"] = "其他费用", ["deposit"] = "押金", ["deposit_return"] = "押金退还", ["cash_out"] = "现金退款", ["debt"] = "转为欠款",
        }, Chinese: true);

    public static readonly StatementLabels InEnglish = new("Statement", "Site", "Tenant", "Account", "Period", "Time zone", "Opening balance",
        "Closing balance", "At", "Kind", "Amount", "Count", "Explanation", "By period", "Page", "Lines", "Summary",
        new Dictionary<string, string>
        {
            ["consumption"] = "Consumption", ["reestimate"] = "Estimate correction", ["topup"] = "Top-up", ["fee"] = "Service fee",
            ["apportionment"] = "Shared cost", ["refund"] = "Refund", ["refund_returned"] = "Refund returned", ["adjustment"] = "Adjustment",
            ["charge"] = "Charge", ["heat"] = "Heat allocation", ["compensation"] = "Compensation share", ["rent"] = "Rent",
            ["property_fee"] = "Property fee", ["service_fee"] = "Service fee", ["reading_fee"] = "Reading fee", ["other_charge"] = "Other charge",
            ["deposit"] = "Deposit", ["deposit_return"] = "Deposit returned", ["cash_out"] = "Cash refund", ["debt"] = "Carried as debt",
        }, Chinese: false);

    public static StatementLabels For(string? acceptLanguage) =>
        acceptLanguage is not null && acceptLanguage.TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? InEnglish : InChinese;

    public string KindName(string kind) => Kinds.GetValueOrDefault(kind, kind);

    /// <summary>A line's explanation in this statement's language.</summary>
    public string Say(Sentence s) => Chinese ? s.Zh : s.En;
}

/// <summary>Who and where a statement is for, as printed at its head.</summary>
public sealed record StatementHeading(string SiteName, string TenantName, long AccountId, string Period);
