namespace Prepaid.Api.Statements;

/// <summary>
/// A line's explanation in both languages of a printed statement: the JSON carries <see cref="En"/> (one sentence for
/// machines, api.md), a PDF or workbook the one its reader asked for.
/// </summary>
public sealed record Sentence(string En, string Zh)
{
    /// <summary>The Chinese words for the codes a sentence names; a code without one is printed as the English word.</summary>
    public static string Word(string group, string? code) => code is not null && Words.TryGetValue((group, code), out var w) ? w : code ?? "";

    static readonly Dictionary<(string, string), string> Words = new()
    {
        [("channel", "cash")] = "现金", [("channel", "card")] = "银行卡", [("channel", "bank")] = "银行转账",
        [("channel", "alipay")] = "支付宝", [("channel", "wechat")] = "微信支付",
        [("method", "area")] = "按面积", [("method", "equal")] = "平均分摊", [("method", "weights")] = "按权重",
        [("method", "consumption")] = "按用量",
        [("refundState", "pending")] = "处理中", [("refundState", "succeeded")] = "已退款", [("refundState", "failed")] = "失败",
        [("period", "sharp")] = "尖", [("period", "peak")] = "峰", [("period", "flat")] = "平", [("period", "valley")] = "谷",
        [("utility", "electricity")] = "电", [("utility", "water")] = "水", [("utility", "heat")] = "热",
    };
}
