using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Charges;
using Prepaid.Api.Common;

namespace Prepaid.Api.Statements;

/// <summary>A top-up as stored with its transfer: what was paid, the fee (R15) and what reached the wallet.</summary>
public sealed record TopUpFacts(string TransferKey, string Channel, string Source, string IdempotencyKey, long AmountFen, long FeeFen, long CreditedFen);

/// <summary>An apportionment run's share for this account (R18): the rule, the period, the master quantity and this account's weight.</summary>
public sealed record ApportionmentFacts(long RuleId, string Kind, string Method, long FromMs, long ToMs, string MasterQuantity, string Quantity,
    string Total, string Weight, string Weights);

/// <summary>A refund (R25) as stored: the channel's order it goes back through and where it stands.</summary>
public sealed record RefundFacts(string OutRefundNo, string Channel, string OutTradeNo, string State, string? Reason);

/// <summary>A recurring charge (R28) as posted: its agreement, the period and the days it covers, pro rata of the period's amount.</summary>
public sealed record ChargeFacts(string TransferKey, long AgreementId, string Name, string AgreementKind, long PerPeriodFen, string PeriodKey, long Days,
    long PeriodDays, long AmountFen, string FromDay, string? ToDay);

/// <summary>A heat allocation run's line for this account (R34): the building's quantity and cost, Ur, k, and the flat's model, area, units and share.</summary>
public sealed record HeatFacts(long AllocationId, long FromMs, long ToMs, string BuildingQuantity, string Cost, string Ur, string CorrectionFactor,
    string Model, string AreaM2, string? AllocatorUnits, string Quantity, string Amount);

/// <summary>A compensation run's line for this account (R35): the utility's bill, what all tenants were charged, this account's charge and share.</summary>
public sealed record CompensationFacts(long CompensationId, string Utility, long FromMs, long ToMs, string UtilityBill, string Charged, string Difference,
    string AccountCharged, string Amount);

/// <summary>The stored facts behind the statement's non-consumption lines, looked up by the postings' transfer keys.</summary>
public sealed class PostingDetails
{
    public Dictionary<string, TopUpFacts> TopUps { get; } = new();
    public Dictionary<string, ApportionmentFacts> Apportionments { get; } = new();
    public Dictionary<string, RefundFacts> Refunds { get; } = new();
    public Dictionary<string, ChargeFacts> Charges { get; } = new();
    public Dictionary<string, HeatFacts> Heat { get; } = new();
    public Dictionary<string, CompensationFacts> Compensations { get; } = new();

    public static async Task<PostingDetails> LoadAsync(DbConnection connection, long accountId, IReadOnlyList<WalletPosting> postings, long fromMs, long toMs)
    {
        var details = new PostingDetails();
        if (postings.Any(p => p.Kind == "topup"))
            foreach (var t in await connection.QueryAsync<TopUpFacts>("""
                         SELECT transfer_key, channel, source, idempotency_key, amount_fen, fee_fen, credited_fen
                         FROM topups WHERE account_id = @accountId AND at_ms >= @fromMs AND at_ms < @toMs
                         """, new { accountId, fromMs, toMs }))
                details.TopUps[t.TransferKey] = t;

        foreach (var key in postings.Where(p => p.Kind == "apportionment").Select(p => p.TransferKey).Distinct())
            if (ParseApportionKey(key) is { } k && await connection.QuerySingleOrDefaultAsync<string?>(
                    "SELECT result_json FROM apportionment_runs WHERE rule_id = @RuleId AND from_ms = @FromMs AND to_ms = @ToMs",
                    new { k.RuleId, k.FromMs, k.ToMs }) is { } json)
                details.Apportionments[key] = Apportionment(k.RuleId, k.FromMs, k.ToMs, accountId, json);

        foreach (var key in postings.Where(p => p.TransferKey.StartsWith("refund", StringComparison.Ordinal)).Select(p => p.TransferKey).Distinct())
        {
            var outRefundNo = key[(key.LastIndexOf(':') + 1)..];
            var refund = await connection.QuerySingleOrDefaultAsync<RefundFacts>("""
                SELECT r.out_refund_no, o.channel, o.out_trade_no, r.state, r.reason
                FROM payment_refunds r JOIN payment_orders o ON o.id = r.order_id
                WHERE r.out_refund_no = @outRefundNo AND r.account_id = @accountId
                """, new { outRefundNo, accountId });
            if (refund is not null) details.Refunds[key] = refund;
        }

        if (postings.Any(p => ChargeKinds.PostingKinds.Contains(p.Kind)))
            foreach (var c in await connection.QueryAsync<ChargeFacts>("""
                         SELECT c.transfer_key, c.agreement_id, g.name, g.kind AS agreement_kind, g.amount_fen AS per_period_fen, c.period_key, c.days, c.period_days, c.amount_fen,
                                g.from_day, g.to_day
                         FROM charges c JOIN charge_agreements g ON g.id = c.agreement_id
                         WHERE c.account_id = @accountId AND c.at_ms >= @fromMs AND c.at_ms < @toMs
                         """, new { accountId, fromMs, toMs }))
                details.Charges[c.TransferKey] = c;

        foreach (var key in postings.Where(p => p.Kind == "heat").Select(p => p.TransferKey).Distinct())
            if (key.Split(':') is ["heat", var run, _] && long.TryParse(run, out var runId)
                && await connection.QuerySingleOrDefaultAsync<(long FromMs, long ToMs, string ResultJson)?>(
                    "SELECT from_ms, to_ms, result_json FROM heat_allocations WHERE id = @runId", new { runId }) is { } h
                && HeatLine(runId, h.FromMs, h.ToMs, accountId, h.ResultJson) is { } heat)
                details.Heat[key] = heat;

        foreach (var key in postings.Where(p => p.Kind == "compensation").Select(p => p.TransferKey).Distinct())
            if (key.Split(':') is ["compensation", var run, _] && long.TryParse(run, out var runId)
                && await connection.QuerySingleOrDefaultAsync<(string Utility, long FromMs, long ToMs, string ResultJson)?>(
                    "SELECT utility, from_ms, to_ms, result_json FROM compensations WHERE id = @runId", new { runId }) is { } c
                && CompensationLine(runId, c.Utility, c.FromMs, c.ToMs, accountId, c.ResultJson) is { } compensation)
                details.Compensations[key] = compensation;
        return details;
    }

    static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.String => v.GetString()!, JsonValueKind.Number => v.GetRawText(), _ => "" } : "";

    static JsonElement? FlatOf(JsonElement run, string list, long accountId) =>
        run.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(f => f!.Value.TryGetProperty("accountId", out var id) && id.TryGetInt64(out var a) && a == accountId)
            : null;

    static HeatFacts? HeatLine(long runId, long fromMs, long toMs, long accountId, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var run = doc.RootElement;
        if (FlatOf(run, "flats", accountId) is not { } flat) return null;
        var units = Text(flat, "allocatorUnits");
        return new HeatFacts(runId, fromMs, toMs, Text(run, "quantity"), Text(run, "cost"), Text(run, "ur"), Text(run, "correctionFactor"),
            Text(flat, "model"), Text(flat, "areaM2"), units.Length == 0 ? null : units, Text(flat, "quantity"), Text(flat, "amount"));
    }

    static CompensationFacts? CompensationLine(long runId, string utility, long fromMs, long toMs, long accountId, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var run = doc.RootElement;
        if (FlatOf(run, "accounts", accountId) is not { } account) return null;
        return new CompensationFacts(runId, utility, fromMs, toMs, Text(run, "utilityBill"), Text(run, "charged"), Text(run, "difference"),
            Text(account, "charged"), Text(account, "amount"));
    }

    /// <summary>apportion:&lt;rule&gt;:&lt;from ms&gt;-&lt;to ms&gt;:&lt;account&gt; (ApportionmentRunner).</summary>
    static (long RuleId, long FromMs, long ToMs)? ParseApportionKey(string key) =>
        key.Split(':') is ["apportion", var rule, var period, _] && period.Split('-') is [var from, var to]
        && long.TryParse(rule, out var r) && long.TryParse(from, out var f) && long.TryParse(to, out var t)
            ? (r, f, t) : null;

    static ApportionmentFacts Apportionment(long ruleId, long fromMs, long toMs, long accountId, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var run = doc.RootElement;
        string Text(string name) => run.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var weights = 0m;
        var weight = "0";
        foreach (var share in run.GetProperty("amounts").EnumerateArray())
        {
            var w = share.GetProperty("weight").GetString()!;
            weights += ApiFormat.ParseDecimal(w);
            if (share.GetProperty("accountId").GetInt64() == accountId) weight = w;
        }
        return new ApportionmentFacts(ruleId, Text("kind"), Text("method"), fromMs, toMs, Text("masterQuantity"), Text("quantity"), Text("total"),
            weight, ApiFormat.Decimal(weights));
    }
}
