namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>Statement files and runs (Statements/), notification subscriptions (Notifications/).</summary>
    static readonly Dictionary<string, string> ZhCnNotifications = new()
    {
        ["Must be a year (2026), a quarter (2026-Q4), a month (2026-11) or a day (2026-11-05) between 2000 and 2099."] =
            "必须是 2000 至 2099 年间的年份（2026）、季度（2026-Q4）、月份（2026-11）或日期（2026-11-05）。",
        ["Give either period or from/to, not both."] = "period 与 from/to 只能二选一。",
        ["Must be pdf or xlsx."] = "必须是 pdf 或 xlsx。",
        ["Statements cannot be drawn as PDF on this server."] = "本服务器无法生成 PDF 对账单。",
        ["At most one per channel (3)."] = "每个渠道最多一项（共 3 项）。",
        ["Must be sms, wechat or email."] = "必须是 sms、wechat 或 email。",
        ["One subscription per channel."] = "每个渠道只能订阅一次。",
        ["Must be an 11-digit mainland mobile number."] = "必须是 11 位大陆手机号。",
        ["Must be an e-mail address."] = "必须是电子邮件地址。",
        ["Must be an openid (letters, digits, - and _)."] = "必须是 openid（字母、数字、- 和 _）。",
        ["Must be one or more of {kinds*}."] = "必须是以下一项或多项：{kinds}。",
        ["Give both quietFrom and quietTo, or neither."] = "quietFrom 与 quietTo 须同时给出或都不给。",
        ["Required."] = "必填。",
        ["No CJK TrueType font to draw statements with: tried {paths*}. "] = "没有可用于生成对账单的中文 TrueType 字体：已尝试 {paths}。",
        ["Install fonts-wqy-zenhei or fonts-droid-fallback, or set Prepaid:Statements:FontFile to a .ttf/.ttc with TrueType outlines."] =
            "请安装 fonts-wqy-zenhei 或 fonts-droid-fallback，或将 Prepaid:Statements:FontFile 设为带 TrueType 轮廓的 .ttf/.ttc 字体。",
        // The English labels of statement files (StatementLabels.InEnglish); the Chinese files use StatementLabels.InChinese.
        ["Time zone"] = "时区", ["Opening balance"] = "期初余额", ["Closing balance"] = "期末余额", ["By period"] = "分期汇总",
        ["bank transfer"] = "银行转账", ["Shared cost"] = "公摊", ["Refund returned"] = "退款退回", ["Cannot be null."] = "不能为 null。",
        ["Estimate correction"] = "估算差额", ["Service fee"] = "服务费", ["Compensation share"] = "差额分摊", ["Property fee"] = "物业费",
        ["Reading fee"] = "抄表费", ["Other charge"] = "其他费用", ["Deposit returned"] = "押金退还", ["Cash refund"] = "现金退款",
        ["Carried as debt"] = "转为欠款",
    };
}
