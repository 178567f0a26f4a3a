namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>Circuits (R32), leak alarms (R33) and the compensation quota (R35).</summary>
    static readonly Dictionary<string, string> ZhCnBuilding = new()
    {
        ["Must be day or month."] = "必须是 day（按日）或 month（按月）。",
        ["area {a} m², {b} allocator units, Ur {c}"] = "面积 {a} m²，分配表 {b} 单位，Ur {c}",
        ["area {a} m², no allocators, k {b}"] = "面积 {a} m²，无分配表，修正系数 {b}",
        ["Heat allocation {a}, {b*} → {c*}, model {d} ({e*}): "] = "热量分摊 {a}，{b} → {c}，模型 {d}（{e}）：",
        ["{a} GJ of the building's {b} GJ costing {c} = {d}"] = "全楼 {b} GJ 中的 {a} GJ，全楼费用 {c}，本户 = {d}",
        ["Compensation {a} for {b}, {c*} → {d*}: the utility billed {e}, "] = "差额分摊 {a}（{b}），{c} → {d}：供应商账单 {e}，",
        ["tenants were charged {a} (difference {b}); this account was charged {c}, its share {d}"] = "租户合计计费 {a}（差额 {b}）；本户计费 {c}，分摊 {d}",
        ["Water flowed in each of the last {a} hours, {b} m³ in all (leak volume {c} m³)."] = "过去 {a} 小时每小时都有用水，共 {b} m³（漏水判定量 {c} m³）。",
        ["An hour without flow: the leak has stopped."] = "已有一小时无用水：漏水已停止。",
        ["{a}, {b}: the master meter read nothing while the sub-meters read {c}."] = "{a}，{b}：总表读数为零，而分表读数为 {c}。",
        ["Must not be blank."] = "不能为空。",
        ["At least one sub-meter."] = "至少需要一个分表。",
        ["At most {n} sub-meters."] = "最多 {n} 个分表。",
        ["The master meter cannot be its own sub-meter."] = "总表不能同时作为自己的分表。",
        ["Must be above 0 and at most 100, with at most 2 decimals."] = "必须大于 0 且不超过 100，最多 2 位小数。",
        ["A circuit balances water or electricity meters."] = "回路平衡只适用于水表或电表。",
        ["Must be a {a} meter, like the master meter."] = "必须与总表一样是 {a} 表。",
        ["Must be a date (2026-12-01, in the site's zone) or an ISO 8601 instant with offset."] = "必须是日期（如 2026-12-01，站点时区）或带时区偏移的 ISO 8601 时刻。",
        ["At most {n} periods per request."] = "每次请求最多 {n} 个时段。",
        ["Must be an amount from 0.00 to 1000000.00 with at most 2 decimals."] = "必须是 0.00 至 1000000.00 的金额，最多 2 位小数。",
        ["This period was compensated for a bill of {a}."] = "该时段已按账单 {a} 做过补偿分摊。",
        ["The period has been compensated already."] = "该时段已做过补偿分摊。",
        ["The period overlaps a period already compensated for this utility."] = "该时段与此能源类型已补偿的时段重叠。",
        ["The period overlaps another."] = "该时段与另一时段重叠。",
        ["No tenant was charged for this utility in the period: there is nothing to share the difference by."] = "该时段内没有租户被收取此能源的费用：差额无从分摊。",
        ["Nothing to share by."] = "没有可分摊的依据。",
    };
}
