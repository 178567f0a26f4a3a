using System.Globalization;
using Prepaid.Api.Charges;
using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Statements;

/// <summary>
/// Each line's explanation twice: <c>detail</c>, the stored facts as data (pages render them in their own language),
/// and <c>explanation</c>, the same as one sentence in English and in Chinese (JSON gives the English, print either).
/// </summary>
public static class StatementExplanations
{
    public static string Unit(string utility) => utility switch { "electricity" => "kWh", "water" => "m³", _ => "GJ" };

    /// <summary>A meter's readings (in time order) and the postings they led to: first and last register, quantity, pieces, exact cost.</summary>
    public static (object Detail, Sentence Text) Consumption(StatementMeter meter, IReadOnlyList<PricedReading> readings, long postedFen, TimeZoneInfo zone)
    {
        var pieces = readings.SelectMany(r => r.Pieces)
            .GroupBy(p => (p.Kind, p.Period, p.Tier, p.TierPeriod, p.Price))
            .Select(g => new PricedPiece(g.Key.Kind, g.Key.Period, g.Key.Tier, g.Key.TierPeriod, g.Sum(p => p.Quantity), g.Key.Price, g.Sum(p => p.Cost)))
            .ToList();
        var quantity = readings.Sum(r => r.Quantity);
        var cost = readings.Sum(r => r.Cost);
        var first = readings.Count > 0 ? readings[0] : null;
        var last = readings.Count > 0 ? readings[^1] : null;
        var unit = Unit(meter.Utility);
        var detail = new
        {
            meterId = meter.MeterId, serial = meter.Serial, utility = meter.Utility, unit, multiplier = ApiFormat.Decimal(meter.Multiplier),
            readings = readings.Count,
            from = first is null ? null : new { at = ApiFormat.Instant(first.FromAtMs, zone), registers = Registers(first.From) },
            to = last is null ? null : new { at = ApiFormat.Instant(last.AtMs, zone), registers = Registers(last.To) },
            quantity = Quantity(quantity),
            pieces = pieces.Select(p => new
            {
                kind = p.Kind, period = p.Period, tier = p.Tier, tierPeriod = p.TierPeriod,
                quantity = Quantity(decimal.Round(p.Quantity, 4, MidpointRounding.AwayFromZero)), price = ApiFormat.Decimal(p.Price),
                cost = Quantity(decimal.Round(p.Cost, 4, MidpointRounding.AwayFromZero)),
            }),
            cost = Quantity(cost), posted = ApiFormat.Amount(postedFen),
        };
        var span = first is null || last is null ? null
            : $"{Number(first.From.Total)} → {Number(last.To.Total)} ({Local(first.FromAtMs, zone)} → {Local(last.AtMs, zone)})";
        var multiplier = meter.Multiplier == 1m ? "" : $" × {Number(meter.Multiplier)}";
        var priced = string.Join(", ", pieces.Select(p => $"{PieceName(p)} {Number(decimal.Round(p.Quantity, 4))} × {ApiFormat.Decimal(p.Price)}"));
        var en = $"{meter.Serial}: {span ?? "no reading"}{multiplier}, {Number(quantity)} {unit} in {readings.Count} reading{(readings.Count == 1 ? "" : "s")}"
                 + (priced.Length > 0 ? $"; {priced}" : "") + $"; cost {Number(decimal.Round(cost, 4))}, posted {ApiFormat.Amount(postedFen)}";
        var pricedZh = string.Join("，", pieces.Select(p => $"{PieceNameZh(p)} {Number(decimal.Round(p.Quantity, 4))} × {ApiFormat.Decimal(p.Price)}"));
        var zh = $"{meter.Serial}：{span ?? "无读数"}{multiplier}，{readings.Count} 次读数共 {Number(quantity)} {unit}"
                 + (pricedZh.Length > 0 ? $"；{pricedZh}" : "") + $"；费用 {Number(decimal.Round(cost, 4))}，扣费 {ApiFormat.Amount(postedFen)}";
        return (detail, new Sentence(en, zh));
    }

    public static (object Detail, Sentence Text) TopUps(IReadOnlyList<TopUpFacts> topUps, long creditedFen)
    {
        var paid = topUps.Sum(t => t.AmountFen);
        var fee = topUps.Sum(t => t.FeeFen);
        var channels = topUps.Select(t => t.Channel).Distinct().ToList();
        var detail = new
        {
            count = topUps.Count, channels, paid = ApiFormat.Amount(paid), fee = ApiFormat.Amount(fee), credited = ApiFormat.Amount(creditedFen),
            topUps = topUps.Select(t => new
            {
                channel = t.Channel, source = t.Source, reference = t.IdempotencyKey,
                paid = ApiFormat.Amount(t.AmountFen), fee = ApiFormat.Amount(t.FeeFen), credited = ApiFormat.Amount(t.CreditedFen),
            }),
        };
        var en = topUps.Count == 1
            ? $"Top-up by {topUps[0].Channel} ({topUps[0].IdempotencyKey}): paid {ApiFormat.Amount(paid)}, service fee {ApiFormat.Amount(fee)}, credited {ApiFormat.Amount(creditedFen)}"
            : $"{topUps.Count} top-ups by {string.Join(", ", channels)}: paid {ApiFormat.Amount(paid)}, service fee {ApiFormat.Amount(fee)}, credited {ApiFormat.Amount(creditedFen)}";
        var zh = topUps.Count == 1
            ? $"{Sentence.Word("channel", topUps[0].Channel)}充值（{topUps[0].IdempotencyKey}）：支付 {ApiFormat.Amount(paid)}，服务费 {ApiFormat.Amount(fee)}，入账 {ApiFormat.Amount(creditedFen)}"
            : $"{topUps.Count} 笔充值（{string.Join("、", channels.Select(c => Sentence.Word("channel", c)))}）：支付 {ApiFormat.Amount(paid)}，服务费 {ApiFormat.Amount(fee)}，入账 {ApiFormat.Amount(creditedFen)}";
        return (detail, new Sentence(en, zh));
    }

    public static (object Detail, Sentence Text) Apportionment(ApportionmentFacts a, long amountFen, TimeZoneInfo zone)
    {
        var weights = ApiFormat.ParseDecimal(a.Weights);
        var share = weights == 0 ? 0m : decimal.Round(ApiFormat.ParseDecimal(a.Weight) / weights * 100m, 2, MidpointRounding.AwayFromZero);
        var detail = new
        {
            ruleId = a.RuleId, kind = a.Kind, method = a.Method, from = ApiFormat.Instant(a.FromMs, zone), to = ApiFormat.Instant(a.ToMs, zone),
            masterQuantity = a.MasterQuantity, quantity = a.Quantity, total = a.Total, weight = a.Weight, weights = a.Weights,
            sharePercent = ApiFormat.Decimal(share), amount = ApiFormat.Amount(-amountFen),
        };
        var en = $"{(a.Kind == "loss" ? "Loss" : "Common-area")} apportionment, rule {a.RuleId} by {a.Method}, {Local(a.FromMs, zone)} → {Local(a.ToMs, zone)}: "
                 + $"{a.Quantity} apportioned costing {a.Total}; this account's weight {a.Weight} of {a.Weights} ({share} %) = {ApiFormat.Amount(-amountFen)}";
        var zh = $"{(a.Kind == "loss" ? "损耗分摊" : "公共区域分摊")}，规则 {a.RuleId}（{Sentence.Word("method", a.Method)}），{Local(a.FromMs, zone)} 至 {Local(a.ToMs, zone)}："
                 + $"共 {a.Quantity}，合计 {a.Total}；本户权重 {a.Weight}/{a.Weights}（{share}%）= {ApiFormat.Amount(-amountFen)}";
        return (detail, new Sentence(en, zh));
    }

    /// <summary>
    /// A recurring charge (R28): the agreement's amount per period, pro rata by the days covered; a negative one gives back
    /// days not used. A reading fee (R34) is pro rata by the months of service instead.
    /// </summary>
    public static (object Detail, Sentence Text) Charge(ChargeFacts c)
    {
        int? months = null, periodMonths = null;
        // A reading fee is yearly (the request validator): its period key is the year.
        if (c.AgreementKind == "readingFee" && int.TryParse(c.PeriodKey, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            var terms = new ChargeTerms(new Money(c.PerPeriodFen), ChargePeriodKind.Year, 1, ChargeDays.Parse(c.FromDay),
                c.ToDay is null ? null : ChargeDays.Parse(c.ToDay), ByMonths: true);
            var period = terms.At(new DateOnly(year, 1, 1));
            if (period.CoveredDays > 0) (months, periodMonths) = (period.CoveredMonths, period.Months);
        }
        var detail = new
        {
            agreementId = c.AgreementId, name = c.Name, kind = c.AgreementKind, period = c.PeriodKey, days = c.Days, periodDays = c.PeriodDays,
            months, periodMonths, perPeriod = ApiFormat.Amount(c.PerPeriodFen), charged = ApiFormat.Amount(c.AmountFen),
        };
        var en = c.AmountFen < 0
            ? $"{c.Name} (agreement {c.AgreementId}) for {c.PeriodKey} ended early: {ApiFormat.Amount(-c.AmountFen)} back, {c.Days} of {c.PeriodDays} days charged"
            : months is { } m
                ? $"{c.Name} (agreement {c.AgreementId}) for {c.PeriodKey}: {ApiFormat.Amount(c.PerPeriodFen)} × {m}/{periodMonths} months of service = {ApiFormat.Amount(c.AmountFen)}"
                : $"{c.Name} (agreement {c.AgreementId}) for {c.PeriodKey}: {ApiFormat.Amount(c.PerPeriodFen)} × {c.Days}/{c.PeriodDays} days = {ApiFormat.Amount(c.AmountFen)}";
        var zh = c.AmountFen < 0
            ? $"{c.Name}（协议 {c.AgreementId}）{c.PeriodKey} 提前结束：退回 {ApiFormat.Amount(-c.AmountFen)}，计费 {c.Days}/{c.PeriodDays} 天"
            : months is { } mz
                ? $"{c.Name}（协议 {c.AgreementId}）{c.PeriodKey}：每年 {ApiFormat.Amount(c.PerPeriodFen)} × 使用 {mz}/{periodMonths} 个月 = {ApiFormat.Amount(c.AmountFen)}"
                : $"{c.Name}（协议 {c.AgreementId}）{c.PeriodKey}：每期 {ApiFormat.Amount(c.PerPeriodFen)} × {c.Days}/{c.PeriodDays} 天 = {ApiFormat.Amount(c.AmountFen)}";
        return (detail, new Sentence(en, zh));
    }

    /// <summary>A flat's heat allocation (R34): its model, area and units, its quantity of the building's heat, and the amount.</summary>
    public static (object Detail, Sentence Text) Heat(HeatFacts h, TimeZoneInfo zone)
    {
        var detail = new
        {
            allocationId = h.AllocationId, from = ApiFormat.Instant(h.FromMs, zone), to = ApiFormat.Instant(h.ToMs, zone),
            buildingQuantity = h.BuildingQuantity, cost = h.Cost, ur = h.Ur, correctionFactor = h.CorrectionFactor,
            model = h.Model, areaM2 = h.AreaM2, allocatorUnits = h.AllocatorUnits, quantity = h.Quantity, amount = h.Amount,
        };
        var basis = h.AllocatorUnits is { } u ? $"area {h.AreaM2} m², {u} allocator units, Ur {h.Ur}" : $"area {h.AreaM2} m², no allocators, k {h.CorrectionFactor}";
        var en = $"Heat allocation {h.AllocationId}, {Local(h.FromMs, zone)} → {Local(h.ToMs, zone)}, model {h.Model} ({basis}): "
                 + $"{h.Quantity} GJ of the building's {h.BuildingQuantity} GJ costing {h.Cost} = {h.Amount}";
        var basisZh = h.AllocatorUnits is { } uz ? $"面积 {h.AreaM2} m²，分配表 {uz} 单位，按读数分摊比例 {h.Ur}" : $"面积 {h.AreaM2} m²，无分配表，修正系数 {h.CorrectionFactor}";
        var zh = $"热量分摊 {h.AllocationId}，{Local(h.FromMs, zone)} 至 {Local(h.ToMs, zone)}，{h.Model}（{basisZh}）："
                 + $"全楼热量 {h.BuildingQuantity} GJ，费用 {h.Cost}，本户 {h.Quantity} GJ = {h.Amount}";
        return (detail, new Sentence(en, zh));
    }

    /// <summary>A compensation quota share (R35): the utility's bill against what the tenants were charged, this account's share of the difference.</summary>
    public static (object Detail, Sentence Text) Compensation(CompensationFacts c, TimeZoneInfo zone)
    {
        var detail = new
        {
            compensationId = c.CompensationId, utility = c.Utility, from = ApiFormat.Instant(c.FromMs, zone), to = ApiFormat.Instant(c.ToMs, zone),
            utilityBill = c.UtilityBill, charged = c.Charged, difference = c.Difference, accountCharged = c.AccountCharged, amount = c.Amount,
        };
        var en = $"Compensation {c.CompensationId} for {c.Utility}, {Local(c.FromMs, zone)} → {Local(c.ToMs, zone)}: the utility billed {c.UtilityBill}, "
                 + $"tenants were charged {c.Charged} (difference {c.Difference}); this account was charged {c.AccountCharged}, its share {c.Amount}";
        var zh = $"差额分摊 {c.CompensationId}（{Sentence.Word("utility", c.Utility)}），{Local(c.FromMs, zone)} 至 {Local(c.ToMs, zone)}：供应商账单 {c.UtilityBill}，"
                 + $"租户合计已计费 {c.Charged}（差额 {c.Difference}）；本户已计费 {c.AccountCharged}，分摊 {c.Amount}";
        return (detail, new Sentence(en, zh));
    }

    /// <summary>The move-out's own lines (R26, R29): the deposit back into the wallet, the rest paid out in cash, or kept as the tenant's debt.</summary>
    public static (object? Detail, Sentence Text) MoveOut(string kind, long amountFen) => (null, kind switch
    {
        "deposit_return" => new($"Deposit returned at move-out: {ApiFormat.Amount(amountFen)}", $"退租时押金退回余额：{ApiFormat.Amount(amountFen)}"),
        "cash_out" => new($"Balance paid out in cash at move-out: {ApiFormat.Amount(-amountFen)}", $"退租时余额以现金退还：{ApiFormat.Amount(-amountFen)}"),
        _ => new($"Balance owed recorded as the tenant's debt at move-out: {ApiFormat.Amount(amountFen)}", $"退租时欠费记为租户欠款：{ApiFormat.Amount(amountFen)}"),
    });

    public static (object Detail, Sentence Text) Refund(string kind, RefundFacts r)
    {
        var detail = new { outRefundNo = r.OutRefundNo, channel = r.Channel, outTradeNo = r.OutTradeNo, state = r.State, reason = r.Reason };
        var en = kind == "refund"
            ? $"Refund {r.OutRefundNo} back through {r.Channel} (order {r.OutTradeNo}), {r.State}"
            : $"Refund {r.OutRefundNo} returned to the wallet: {r.Channel} refused it";
        var zh = kind == "refund"
            ? $"退款 {r.OutRefundNo} 退回{Sentence.Word("channel", r.Channel)}（订单 {r.OutTradeNo}），{Sentence.Word("refundState", r.State)}"
            : $"退款 {r.OutRefundNo} 未被{Sentence.Word("channel", r.Channel)}受理，金额已退回余额";
        return (detail, new Sentence(en, zh));
    }

    public static Dictionary<string, string> Registers(Registers r)
    {
        var d = new Dictionary<string, string> { ["total"] = ApiFormat.Decimal(r.Total) };
        foreach (var p in Enum.GetValues<Period>())
            if (r[p] is { } v) d[p.ToString().ToLowerInvariant()] = ApiFormat.Decimal(v);
        return d;
    }

    static string PieceName(PricedPiece p) => p.Kind switch
    {
        "tou" => p.Period!,
        "tier" => $"tier {p.Tier} ({p.TierPeriod})",
        _ => "flat price",
    };

    static string PieceNameZh(PricedPiece p) => p.Kind switch
    {
        "tou" => $"{Sentence.Word("period", p.Period)}段",
        "tier" => $"第 {p.Tier} 阶梯（{p.TierPeriod}）",
        _ => "单一价格",
    };

    /// <summary>An exact decimal without trailing zeros: 5.000 → "5", 0.6350 → "0.635".</summary>
    static string Quantity(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    static string Number(decimal value) => Quantity(value);

    static string Local(long ms, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
