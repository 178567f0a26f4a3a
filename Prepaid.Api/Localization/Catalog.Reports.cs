namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>Report titles, column headers and the words for the API's names in Excel reports (Reports/ReportWords.cs).</summary>
    static readonly Dictionary<string, string> ZhCnReports = new()
    {
        ["Sales"] = "售电", ["Consumption"] = "用量", ["Offline meters"] = "离线电表", ["Alarm history"] = "告警历史", ["Command log"] = "命令日志",
        ["Time"] = "时间", ["Site"] = "站点", ["Account"] = "账户", ["Tenant"] = "租户", ["Kind"] = "类型", ["Previous state"] = "原状态",
        ["Balance"] = "余额", ["Serial"] = "表号", ["Status"] = "状态", ["State"] = "状态", ["Attempts"] = "尝试次数", ["Completed at"] = "完成时间",
        ["Error"] = "错误", ["Utility"] = "能源类型", ["Readings"] = "读数次数", ["Quantity"] = "用量", ["Amount"] = "金额",
        ["Last reading at"] = "最近读数时间", ["Hours silent"] = "无数据小时数", ["Day"] = "日期", ["Channel"] = "渠道", ["Operator"] = "操作员",
        ["Count"] = "笔数", ["Fee"] = "服务费", ["Credited"] = "到账", ["Name"] = "名称", ["Meter"] = "电表", ["Reason"] = "原因",
        ["Normal"] = "正常", ["Alarm 1"] = "一级告警", ["Alarm 2"] = "二级告警", ["Arrears"] = "欠费",
        ["Trip"] = "拉闸", ["Close"] = "合闸", ["Keep-on"] = "保电", ["Restore prepaid"] = "恢复预付费", ["Open the valve"] = "开阀",
        ["Close the valve"] = "关阀", ["Push tariff"] = "下发电价", ["Push settings"] = "下发参数",
        ["Requested"] = "已请求", ["Sent"] = "已发送", ["Confirmed"] = "已确认", ["Failed"] = "失败", ["Expired"] = "已过期",
        ["Electricity"] = "电", ["Water"] = "水", ["Heat"] = "热",
        ["Cash"] = "现金", ["Bank card"] = "刷卡", ["Bank transfer"] = "银行转账",
    };
}
