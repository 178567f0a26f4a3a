using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Statements;

/// <summary>
/// R36: an account's statement for [from, to). Every wallet posting is a line with its explanation; with a grouping
/// (day or month, in the site's zone) the lines are subtotals per period, kind and meter instead, and each period
/// carries its own opening and closing balance. Either way opening + Σ lines = closing, to the fen.
/// R30: a line that holds an estimated reading's debit is marked <c>estimated</c>; the difference a real reading posts
/// under reestimate:… is explained by that real reading, and in a grouping it joins the meter's consumption subtotal.
/// </summary>
public static class Statement
{
    public sealed record Line(string? Period, long AtMs, string Kind, long AmountFen, int Count, long? MeterId, string? Key, object? Detail, Sentence Explanation,
        bool Estimated);

    public static DateTimeOffset LocalStart(DateTime local, TimeZoneInfo zone) => new(local, zone.GetUtcOffset(local));

    /// <summary>A period's subtotal with its own opening and closing balance.</summary>
    public sealed record Group(string Period, long FromMs, long ToMs, long OpeningFen, long ClosingFen, long AmountFen);

    /// <summary>The statement as numbers, for JSON, PDF and Excel alike.</summary>
    public sealed record Data(long AccountId, long FromMs, long ToMs, string TimeZone, string? GroupBy, long OpeningFen, long ClosingFen,
        IReadOnlyList<Line> Lines, IReadOnlyList<Group>? Groups)
    {
        public TimeZoneInfo Zone => ApiFormat.Zone(TimeZone);
    }

    public static async Task<object> BuildAsync(DbConnection connection, SqlDialect dialect, long accountId, long walletId, string zoneId,
        long fromMs, long toMs, string? group) =>
        Json(await BuildDataAsync(connection, dialect, accountId, walletId, zoneId, fromMs, toMs, group));

    public static async Task<Data> BuildDataAsync(DbConnection connection, SqlDialect dialect, long accountId, long walletId, string zoneId,
        long fromMs, long toMs, string? group)
    {
        var zone = ApiFormat.Zone(zoneId);
        var (balanceNow, since) = await StatementLedger.SinceAsync(connection, accountId, walletId, fromMs);
        var opening = balanceNow - since.Sum(p => p.AmountFen);
        var closing = balanceNow - since.Where(p => p.AtMs >= toMs).Sum(p => p.AmountFen);
        var postings = since.Where(p => p.AtMs < toMs).ToList();
        var (meters, readings) = await ConsumptionReplay.RunAsync(connection, dialect, accountId, zone, fromMs, toMs);
        var details = await PostingDetails.LoadAsync(connection, accountId, postings, fromMs, toMs);
        var consumptionKeys = postings.Where(p => IsConsumption(p.Kind)).Select(p => (p.MeterId, p.AtMs)).ToHashSet();
        var estimates = (await connection.QueryAsync<(long MeterId, long AtMs)>("""
            SELECT r.meter_id, r.at_ms FROM readings r JOIN account_meters am ON am.id = r.account_meter_id
            WHERE am.account_id = @accountId AND r.source = 'estimate' AND r.at_ms >= @fromMs AND r.at_ms < @toMs
            """, new { accountId, fromMs, toMs })).ToHashSet();
        bool Estimated(WalletPosting p) => p.Kind == "consumption" && p.MeterId is { } m && estimates.Contains((m, p.AtMs));

        var lines = group is null
            ? PerPosting(postings, readings, consumptionKeys, meters, details, zone, Estimated)
            : PerPeriod(postings, readings, meters, details, zone, group, Estimated);
        List<Group>? groups = null;
        if (group is not null)
        {
            var running = opening;
            groups = lines.GroupBy(l => l.Period!).Select(g =>
            {
                var (start, end) = Bounds(g.Key, zone);
                var amount = g.Sum(l => l.AmountFen);
                var periodOpening = running;
                running += amount;
                return new Group(g.Key, start, end, periodOpening, running, amount);
            }).ToList();
        }
        return new Data(accountId, fromMs, toMs, zoneId, group, opening, closing, lines, groups);
    }

    /// <summary>The JSON shape of <c>GET /api/accounts/{id}/statements</c> (amounts as strings, instants in the site's zone).</summary>
    public static object Json(Data d)
    {
        var zone = d.Zone;
        return new
        {
            accountId = d.AccountId, from = ApiFormat.Instant(d.FromMs, zone), to = ApiFormat.Instant(d.ToMs, zone), timeZone = d.TimeZone, group = d.GroupBy,
            openingBalance = ApiFormat.Amount(d.OpeningFen), closingBalance = ApiFormat.Amount(d.ClosingFen),
            lines = d.Lines.Select(l => new
            {
                period = l.Period, at = ApiFormat.Instant(l.AtMs, zone), kind = l.Kind, amount = ApiFormat.Amount(l.AmountFen),
                count = d.GroupBy is null ? (int?)null : l.Count, meterId = l.MeterId, key = l.Key, explanation = l.Explanation.En, detail = l.Detail,
                estimated = l.Estimated,
            }),
            groups = d.Groups?.Select(g => new
            {
                period = g.Period, from = ApiFormat.Instant(g.FromMs, zone), to = ApiFormat.Instant(g.ToMs, zone),
                openingBalance = ApiFormat.Amount(g.OpeningFen), closingBalance = ApiFormat.Amount(g.ClosingFen), amount = ApiFormat.Amount(g.AmountFen),
            }).ToList(),
        };
    }

    /// <summary>One line per posting. A consumption debit explains the readings since the meter's previous debit: their costs add up to it (R4).</summary>
    static List<Line> PerPosting(List<WalletPosting> postings, List<PricedReading> readings, HashSet<(long?, long)> consumptionKeys,
        IReadOnlyDictionary<long, StatementMeter> meters, PostingDetails details, TimeZoneInfo zone, Func<WalletPosting, bool> estimated)
    {
        var covered = new Dictionary<(long MeterId, long AtMs), List<PricedReading>>();
        foreach (var byMeter in readings.GroupBy(r => r.MeterId))
        {
            var since = new List<PricedReading>();
            foreach (var r in byMeter.OrderBy(r => r.AtMs))
            {
                since.Add(r);
                if (!consumptionKeys.Contains((r.MeterId, r.AtMs))) continue;
                covered[(r.MeterId, r.AtMs)] = since;
                since = new List<PricedReading>();
            }
        }
        return postings.Select(p =>
        {
            var (detail, text) = Explain(p.Kind, p.TransferKey, p.MeterId, [p], meters, details, zone,
                p.MeterId is { } m ? covered.GetValueOrDefault((m, p.AtMs)) ?? [] : []);
            return new Line(null, p.AtMs, p.Kind, p.AmountFen, 1, p.MeterId, p.TransferKey, detail, text, estimated(p));
        }).ToList();
    }

    /// <summary>
    /// Subtotals per period: consumption per meter (every reading of the period, also those whose cost has not reached a
    /// fen yet), top-ups together, the rest per transfer.
    /// </summary>
    static List<Line> PerPeriod(List<WalletPosting> postings, List<PricedReading> readings, IReadOnlyDictionary<long, StatementMeter> meters,
        PostingDetails details, TimeZoneInfo zone, string group, Func<WalletPosting, bool> estimated)
    {
        var readingsBy = readings.GroupBy(r => (Period: PeriodOf(r.AtMs, group, zone), r.MeterId)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.AtMs).ToList());
        var buckets = postings
            .GroupBy(p => (Period: PeriodOf(p.AtMs, group, zone), Key: IsConsumption(p.Kind) ? $"consumption:{p.MeterId}" : p.Kind == "topup" ? "topup" : $"{p.Kind}:{p.TransferKey}"))
            .ToDictionary(g => g.Key, g => (Kind: IsConsumption(g.First().Kind) ? "consumption" : g.First().Kind, MeterId: g.First().MeterId, Postings: g.ToList()));
        foreach (var (period, meterId) in readingsBy.Keys)
            buckets.TryAdd((period, $"consumption:{meterId}"), ("consumption", meterId, []));

        var lines = new List<Line>();
        foreach (var ((period, _), bucket) in buckets.OrderBy(b => b.Key.Period, StringComparer.Ordinal)
                     .ThenBy(b => b.Value.Kind == "consumption" ? 0 : b.Value.Kind == "topup" ? 1 : 2)
                     .ThenBy(b => b.Value.MeterId).ThenBy(b => b.Value.Postings.FirstOrDefault()?.Id))
        {
            var first = bucket.Postings.FirstOrDefault();
            var key = first?.TransferKey ?? "";
            var (detail, text) = Explain(bucket.Kind, key, bucket.MeterId, bucket.Postings, meters, details, zone,
                bucket.MeterId is { } m ? readingsBy.GetValueOrDefault((period, m)) ?? [] : []);
            lines.Add(new Line(period, Bounds(period, zone).From, bucket.Kind, bucket.Postings.Sum(p => p.AmountFen), bucket.Postings.Count,
                bucket.MeterId, bucket.Postings.Count == 1 ? key : null, detail, text, bucket.Postings.Any(estimated)));
        }
        return lines;
    }

    static (object? Detail, Sentence Text) Explain(string kind, string key, long? meterId, IReadOnlyList<WalletPosting> postings,
        IReadOnlyDictionary<long, StatementMeter> meters, PostingDetails details, TimeZoneInfo zone, IReadOnlyList<PricedReading> readings)
    {
        var amount = postings.Sum(p => p.AmountFen);
        switch (kind)
        {
            case "consumption" or "reestimate" when meterId is { } m && meters.TryGetValue(m, out var meter):
                return StatementExplanations.Consumption(meter, readings, -amount, zone);
            case "topup":
                var topUps = postings.Select(p => details.TopUps.GetValueOrDefault(p.TransferKey)).OfType<TopUpFacts>().ToList();
                if (topUps.Count == postings.Count) return StatementExplanations.TopUps(topUps, amount);
                break;
            case "apportionment" when details.Apportionments.TryGetValue(key, out var a):
                return StatementExplanations.Apportionment(a, amount, zone);
            case "refund" or "refund_returned" when details.Refunds.TryGetValue(key, out var r):
                return StatementExplanations.Refund(kind, r);
            case "rent" or "property_fee" or "service_fee" or "reading_fee" or "other_charge" when postings.Count == 1 && details.Charges.TryGetValue(key, out var c):
                return StatementExplanations.Charge(c);
            case "heat" when details.Heat.TryGetValue(key, out var h):
                return StatementExplanations.Heat(h, zone);
            case "compensation" when details.Compensations.TryGetValue(key, out var comp):
                return StatementExplanations.Compensation(comp, zone);
            case "deposit_return" or "cash_out" or "debt":
                return StatementExplanations.MoveOut(kind, amount);
        }
        return (null, new Sentence($"{kind} {key}", $"{StatementLabels.InChinese.KindName(kind)} {key}"));
    }

    /// <summary>A meter's consumption debit, or the difference a real reading posts against estimates (R30).</summary>
    static bool IsConsumption(string kind) => kind is "consumption" or "reestimate";

    static string PeriodOf(long ms, string group, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone);
        return group switch
        {
            "day" => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "quarter" => $"{local.Year:D4}-Q{(local.Month - 1) / 3 + 1}",
            "year" => local.Year.ToString("D4", CultureInfo.InvariantCulture),
            _ => local.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        };
    }

    static (long From, long To) Bounds(string period, TimeZoneInfo zone)
    {
        var (start, end) = StatementPeriod.LocalBounds(period) ?? throw new FormatException($"'{period}' is not a statement period.");
        return (LocalStart(start, zone).ToUnixTimeMilliseconds(), LocalStart(end, zone).ToUnixTimeMilliseconds());
    }
}
