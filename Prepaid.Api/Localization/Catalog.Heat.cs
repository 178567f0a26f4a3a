namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>Heat cost allocation (R34): allocators, the building's settings, runs, and the engine's refusals.</summary>
    static readonly Dictionary<string, string> ZhCnHeat = new()
    {
        // Meters of kind allocator.
        ["Must be meter or allocator."] = "必须是 meter 或 allocator。",
        ["A heat cost allocator's utility is heat."] = "热分配器的能源类型必须是 heat。",
        ["A heat cost allocator counts units and has no tariff."] = "热分配器计读数单位，不设价格。",
        ["A heat cost allocator counts units, not energy: the reading is recorded, never priced (R34)."] = "热分配器计的是读数单位而非热量：读数已记录，永不计价（R34）。",

        // Settings and runs.
        ["Must be from 0.50 to 0.90 with at most 2 decimals."] = "必须介于 0.50 与 0.90 之间，最多 2 位小数。",
        ["Must be above 0 up to 10 with at most 2 decimals."] = "必须大于 0 且不超过 10，最多 2 位小数。",
        ["Must be a quantity above 0 up to 1000000000 with at most 3 decimals."] = "必须是大于 0 且不超过 1000000000 的数量，最多 3 位小数。",
        ["Must be an amount from 0.00 to 1000000.00."] = "必须是 0.00 至 1000000.00 的金额。",
        ["Give totalCost, or a tariffId to price the quantity."] = "请给出 totalCost，或给出用于计价的 tariffId。",
        ["Give either totalCost or tariffId, not both."] = "totalCost 与 tariffId 只能给出其一。",
        ["At most {n} flats."] = "最多 {n} 户。",
        ["A flat cannot be null."] = "住户不能为 null。",
        ["Must be a floor area above 0 below 1000000 m² with at most 4 decimals."] = "必须是大于 0 且小于 1000000 的面积（m²），最多 4 位小数。",
        ["Must be units from 0 to 100000000 with at most 3 decimals."] = "必须是 0 至 100000000 的读数单位，最多 3 位小数。",
        ["The allocators' units add up to zero: Ur cannot be split by units."] = "分配器读数合计为零：无法按读数分摊 Ur 部分。",
        ["Give ur, or set the site's heat settings first."] = "请给出 ur，或先设置本站点的热量分摊参数。",
        ["This period is already allocated (run {id}) with other figures."] = "该期间已用其他数据分摊过（第 {id} 次分摊）。",
        ["The period overlaps a period of this site that is already allocated."] = "该期间与本站点已分摊的期间重叠。",
        ["Must be a heat tariff of the site."] = "必须是本站点的热价。",
        ["The tariff has no price at the period's start (R12a)."] = "该价格在期间开始时尚无价格（R12a）。",
        ["The heat has no price."] = "热量没有价格。",
        ["Heat allocation {id}"] = "热量分摊 {id}",
        ["Heat allocation"] = "热量分摊",

        // The engine's refusals (the API checks first; these name a caller's mistake).
        ["At least one flat is needed."] = "至少需要一户。",
        ["The building's heat is positive."] = "楼栋热量必须为正。",
        ["The cost is never negative."] = "费用不能为负。",
        ["Ur lies from 0.50 to 0.90."] = "Ur 介于 0.50 与 0.90 之间。",
        ["The correction factor is positive."] = "修正系数必须为正。",
        ["Every flat has a positive floor area."] = "每户面积必须为正。",
        ["Allocator units are never negative."] = "分配器读数不能为负。",
        ["The allocators' units add up to zero: nothing to split Ur by."] = "分配器读数合计为零：无法按读数分摊 Ur 部分。",
        ["A ratio's denominator is never zero."] = "比值的分母不能为零。",
        ["A fee is never negative."] = "费用不能为负。",
    };
}
