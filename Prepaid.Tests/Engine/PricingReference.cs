using System.Globalization;
using Prepaid.Engine;

namespace Prepaid.Tests.Engine;

/// <summary>
/// The plain formulation of Pricing.Price and ReadingCheck.Evaluate (LINQ, sorted collections, one TimeZoneInfo call per
/// question), as the engine had them before its hot path was optimised, with the cost as R1 writes it: the quantity shared
/// by time is priced as q × Σ(priceᵢ × tᵢ) / T, divided once at the end (tiers: the limits a share fills at their price,
/// the exact rest at the price of the tier it ends in). The property tests in PricingFastPathPropertyTests hold the engine
/// to it, digit for digit and scale for scale. Not an engine API: only a yardstick.
/// </summary>
internal static class ReferencePricing
{
    public static PricedDelta Price(PricingRequest request)
    {
        var (from, zone) = (request.From, request.Zone);
        if (request.To < from) throw new ArgumentException("To is before From.", nameof(request));
        if (request.Quantity < 0m || request.PeriodQuantities?.Values.Any(q => q < 0m) == true)
            throw new ArgumentOutOfRangeException(nameof(request), "Quantities are never negative.");

        var to = request.To > from ? request.To : from.AddTicks(1);
        var versions = request.Tariff.Versions.OrderBy(v => v.EffectiveFrom).ToList();
        var first = versions.FindLastIndex(v => v.EffectiveFrom <= from);
        if (first < 0) throw new InvalidOperationException($"No tariff version is effective at {from:O}.");

        var total = new TimeShare(from, to, request.Quantity);
        var periods = request.PeriodQuantities?.ToDictionary(p => p.Key, p => new TimeShare(from, to, p.Value));
        var usage = new Dictionary<string, decimal>(request.Usage.UsedByPeriod);
        var lines = new List<(int Version, PriceLine Line)>();
        var exact = new ExactSums((to - from).Ticks);

        for (var k = first; k < versions.Count && versions[k].EffectiveFrom < to; k++)
        {
            var a = k == first ? from : versions[k].EffectiveFrom;
            var b = k + 1 < versions.Count && versions[k + 1].EffectiveFrom < to ? versions[k + 1].EffectiveFrom : to;
            if (b <= a) continue;

            var cuts = MonthStarts(zone, a, b).Prepend(a).Append(b).ToList();
            for (var j = 0; j + 1 < cuts.Count; j++)
            {
                var part = PricePart(versions[k], zone, cuts[j], cuts[j + 1], total, periods, usage, exact);
                lines.AddRange(part.Select(line => (k, line)));
                var billed = part.Sum(line => line.Quantity);
                var local = Local(cuts[j], zone);
                foreach (var key in new[] { KeyOf(TierPeriod.Month, local), KeyOf(TierPeriod.Year, local) })
                    usage[key] = usage.GetValueOrDefault(key) + billed;
            }
        }

        var merged = Merge(lines, request.To);
        // R1: q × Σ(priceᵢ × tᵢ) / T for the total and for each period register (ascending), divided once.
        var numerator = request.Quantity * exact.Rate;
        foreach (var (period, share) in periods?.OrderBy(p => p.Key) ?? Enumerable.Empty<KeyValuePair<Period, TimeShare>>())
            numerator += share.Quantity * exact.PeriodRates.GetValueOrDefault(period);
        return new PricedDelta(exact.Fixed + numerator / exact.Span, merged, new TierUsage(usage));
    }

    /// <summary>R1's sums: Σ price × ticks per shared quantity, and the tiers' limit parts that need no division.</summary>
    private sealed class ExactSums(long span)
    {
        public long Span { get; } = span;
        public decimal Rate { get; set; }
        public decimal Fixed { get; set; }
        public Dictionary<Period, decimal> PeriodRates { get; } = [];
    }

    private static List<PriceLine> PricePart(TariffVersion version, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b,
        TimeShare total, Dictionary<Period, TimeShare>? periods, Dictionary<string, decimal> usage, ExactSums exact)
    {
        var ticks = (b - a).Ticks;
        switch (version)
        {
            case FlatVersion flat:
                exact.Rate += flat.Price * ticks;
                return [Line(a, b, "flat", total.Between(a, b), flat.Price)];
            case TouVersion tou when periods is null:
            {
                var (quantities, periodTicks) = ByTime(tou, zone, a, b, total);
                var lines = new List<PriceLine>();
                foreach (var (period, quantity) in quantities)
                {
                    var price = PriceOf(tou, period, quantity);
                    lines.Add(Line(a, b, Label(period), quantity, price));
                    exact.Rate += price * periodTicks[period];
                }
                return lines;
            }
            case TouVersion tou:
            {
                var quantities = new SortedDictionary<Period, decimal>(periods!.ToDictionary(p => p.Key, p => p.Value.Between(a, b)));
                var lines = new List<PriceLine>();
                foreach (var (period, quantity) in quantities)
                {
                    var price = PriceOf(tou, period, quantity);
                    lines.Add(Line(a, b, Label(period), quantity, price));
                    exact.PeriodRates[period] = exact.PeriodRates.GetValueOrDefault(period) + price * ticks;
                }
                return lines;
            }
            case TieredVersion tiered:
            {
                var key = KeyOf(tiered.Period, Local(a, zone));
                var used = usage.GetValueOrDefault(key);
                var lines = TierSplit(tiered.Tiers, used, total.Between(a, b))
                    .Select(t => Line(a, b, $"tier {t.Tier + 1} {key}", t.Quantity, tiered.Tiers[t.Tier].Price)).ToList();
                var (fixedCost, rate) = ExactTiers(tiered.Tiers, used, total.Quantity * ticks, exact.Span);
                exact.Fixed += fixedCost;
                exact.Rate += rate * ticks;
                return lines;
            }
            default:
                throw new InvalidOperationException($"Unknown tariff version {version.GetType().Name}.");
        }
    }

    /// <summary>
    /// R13 on the exact share (numerator over span): each tier whose room lies below what is left is filled, its room at its
    /// price; the tier where the share ends takes the rest, room × span compared with the numerator so no division is needed.
    /// Returns the limit parts less the filled rooms at the end tier's price, and the end tier's price.
    /// </summary>
    private static (decimal Fixed, decimal Price) ExactTiers(IReadOnlyList<Tier> tiers, decimal used, decimal numerator, long span)
    {
        if (tiers.Count == 0) throw new InvalidOperationException("A tiered version has no tiers.");
        var (fixedCost, filled) = (0m, 0m);
        var end = tiers.Count - 1;
        for (var i = 0; i < tiers.Count - 1; i++)
        {
            if (tiers[i].UpTo is not { } upTo) { end = i; break; }
            var room = upTo - used;
            if (room <= 0m) continue;
            if (!(room * span < numerator)) { end = i; break; }
            fixedCost += room * tiers[i].Price;
            filled += room;
            used += room;
            numerator -= room * span;
        }
        return (fixedCost - filled * tiers[end].Price, tiers[end].Price);
    }

    private static decimal PriceOf(TouVersion tou, Period period, decimal quantity) =>
        tou.Prices.TryGetValue(period, out var price) ? price
        : quantity == 0m ? 0m
        : throw new InvalidOperationException($"The TOU version has no {Label(period)} price.");

    private static PriceLine Line(DateTimeOffset a, DateTimeOffset b, string label, decimal quantity, decimal price) =>
        new(a, b, label, quantity, price, quantity * price);

    private static List<PriceLine> Merge(List<(int Version, PriceLine Line)> lines, DateTimeOffset requestTo) =>
        [.. lines.Where(l => l.Line.Quantity != 0m)
            .GroupBy(l => (l.Version, l.Line.Label, l.Line.Price))
            .Select(g =>
            {
                var quantity = g.Sum(l => l.Line.Quantity);
                var lineTo = g.Max(l => l.Line.To);
                return Line(g.Min(l => l.Line.From), lineTo > requestTo ? requestTo : lineTo, g.Key.Label, quantity, g.Key.Price);
            })];

    private static string Label(Period period) => period.ToString().ToLowerInvariant();

    // TierSplit
    private static IEnumerable<(int Tier, decimal Quantity)> TierSplit(IReadOnlyList<Tier> tiers, decimal used, decimal quantity)
    {
        if (tiers.Count == 0) throw new InvalidOperationException("A tiered version has no tiers.");
        var remaining = quantity;
        for (var i = 0; i < tiers.Count && remaining > 0m; i++)
        {
            var last = i == tiers.Count - 1 || tiers[i].UpTo is null;
            var take = last ? remaining : Math.Clamp(tiers[i].UpTo!.Value - used, 0m, remaining);
            if (take == 0m) continue;
            yield return (i, take);
            used += take;
            remaining -= take;
        }
    }

    // TimeShare
    private sealed class TimeShare(DateTimeOffset from, DateTimeOffset to, decimal quantity)
    {
        public decimal Quantity => quantity;

        public decimal At(DateTimeOffset t)
        {
            if (t >= to) return quantity;
            if (t <= from) return 0m;
            return decimal.Round(quantity * (t - from).Ticks / (to - from).Ticks, 10, MidpointRounding.AwayFromZero);
        }

        public decimal Between(DateTimeOffset a, DateTimeOffset b) => At(b) - At(a);
    }

    // TierUsage
    private static string KeyOf(TierPeriod period, DateTime local) => period == TierPeriod.Month
        ? local.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : local.ToString("yyyy", CultureInfo.InvariantCulture);

    private static IEnumerable<DateTimeOffset> MonthStarts(TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b)
    {
        var local = Local(a, zone);
        for (var month = new DateTime(local.Year, local.Month, 1).AddMonths(1); ; month = month.AddMonths(1))
        {
            var start = Start(month, zone);
            if (start >= b) yield break;
            if (start > a) yield return start;
        }
    }

    // TouDay
    private sealed record TouRange(long Start, long End, Period Period, int Segment);

    private const long DayLength = TimeSpan.TicksPerDay;

    private static List<TouRange> Ranges(IReadOnlyList<TouSegment> segments)
    {
        var ranges = new List<TouRange>();
        for (var i = 0; i < segments.Count; i++)
        {
            var (from, to) = (segments[i].From.Ticks, segments[i].To.Ticks);
            if (to == 0) to = DayLength;
            if (to > from) ranges.Add(new(from, to, segments[i].Period, i));
            else
            {
                ranges.Add(new(from, DayLength, segments[i].Period, i));
                if (to > 0) ranges.Add(new(0, to, segments[i].Period, i));
            }
        }
        return [.. ranges.OrderBy(r => r.Start).ThenBy(r => r.Segment)];
    }

    private static Period PeriodAt(List<TouRange> ranges, long timeOfDay)
    {
        foreach (var r in ranges)
            if (r.Start <= timeOfDay && timeOfDay < r.End) return r.Period;
        throw new InvalidOperationException($"No TOU segment covers {new TimeOnly(timeOfDay):HH:mm:ss}.");
    }

    private static List<long> Boundaries(List<TouRange> ranges) =>
        [.. ranges.SelectMany(r => new[] { r.Start, r.End % DayLength }).Append(0L).Distinct().Order()];

    // TouSplit
    private static (SortedDictionary<Period, decimal> Quantities, Dictionary<Period, long> Ticks) ByTime(TouVersion version, TimeZoneInfo zone,
        DateTimeOffset a, DateTimeOffset b, TimeShare share)
    {
        var ranges = Ranges(version.Segments);
        var quantities = new SortedDictionary<Period, decimal>();
        var ticks = new Dictionary<Period, long>();
        var cuts = Cuts(ranges, zone, a, b);
        for (var j = 0; j + 1 < cuts.Count; j++)
        {
            var period = PeriodAt(ranges, Local(cuts[j], zone).TimeOfDay.Ticks);
            quantities[period] = quantities.GetValueOrDefault(period) + share.Between(cuts[j], cuts[j + 1]);
            ticks[period] = ticks.GetValueOrDefault(period) + (cuts[j + 1] - cuts[j]).Ticks;
        }
        return (quantities, ticks);
    }

    private static List<DateTimeOffset> Cuts(List<TouRange> ranges, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b)
    {
        var cuts = new SortedSet<DateTimeOffset>(OffsetChanges(zone, a, b)) { a, b };
        var boundaries = Boundaries(ranges);
        var lastDay = Local(b, zone).Date + OneDay;
        for (var day = Local(a, zone).Date - OneDay; day <= lastDay; day += OneDay)
            foreach (var boundary in boundaries)
                foreach (var instant in Instants(day.AddTicks(boundary), zone))
                    if (a < instant && instant < b) cuts.Add(instant);
        return [.. cuts];
    }

    // LocalClock
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    private static DateTime Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    private static IEnumerable<DateTimeOffset> Instants(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) yield break;
        if (zone.IsAmbiguousTime(local))
        {
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local).Distinct().OrderByDescending(o => o))
                yield return new DateTimeOffset(local, offset);
            yield break;
        }
        yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Start(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        foreach (var instant in Instants(local, zone)) return instant;

        var before = zone.GetUtcOffset(local - TimeSpan.FromHours(6));
        var after = zone.GetUtcOffset(local + TimeSpan.FromHours(6));
        var lo = new DateTimeOffset(local - (before > after ? before : after), TimeSpan.Zero);
        var hi = new DateTimeOffset(local - (before > after ? after : before), TimeSpan.Zero);
        return FirstWhere(lo, hi, t => Local(t, zone) >= local).ToOffset(after);
    }

    private static IEnumerable<DateTimeOffset> OffsetChanges(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var t0 = from;
        while (t0 < to)
        {
            var t1 = t0 + OneDay < to ? t0 + OneDay : to;
            var o0 = zone.GetUtcOffset(t0);
            if (zone.GetUtcOffset(t1) != o0) yield return FirstWhere(t0, t1, t => zone.GetUtcOffset(t) != o0);
            t0 = t1;
        }
    }

    private static DateTimeOffset FirstWhere(DateTimeOffset lo, DateTimeOffset hi, Func<DateTimeOffset, bool> holds)
    {
        long a = lo.UtcTicks, b = hi.UtcTicks;
        while (b - a > 1)
        {
            var mid = a + (b - a) / 2;
            if (holds(new DateTimeOffset(mid, TimeSpan.Zero))) b = mid; else a = mid;
        }
        return new DateTimeOffset(b, TimeSpan.Zero);
    }
}

/// <summary>ReadingCheck.Evaluate as it was before its allocations were cut (per-period dictionaries, LINQ sums).</summary>
internal static class ReferenceReadingCheck
{
    public static ReadingVerdict Evaluate(MeterSpec meter, DateTimeOffset? lastBilledAt, Registers? lastBilled, DateTimeOffset at, Registers reading)
    {
        if ((lastBilledAt is null) != (lastBilled is null))
            throw new ArgumentException("The last billed instant and registers come together or not at all.", nameof(lastBilled));
        if (lastBilledAt is not { } lastAt || lastBilled is null) return ReadingVerdict.Of(VerdictKind.Baseline);

        if (at == lastAt)
            return reading == lastBilled
                ? ReadingVerdict.Of(VerdictKind.Duplicate)
                : ReadingVerdict.Of(VerdictKind.Conflict, Invariant($"a different reading is stored for {lastAt:O}"));
        if (at < lastAt) return ReadingVerdict.Of(VerdictKind.Late, Invariant($"older than the last billed reading at {lastAt:O}"));

        var raw = Measure(meter, lastBilled, reading);
        if (raw.Rejection is { } rejection) return ReadingVerdict.Of(VerdictKind.Rejected, rejection);

        var hours = (decimal)(at - lastAt).Ticks / TimeSpan.TicksPerHour;
        if (raw.Total > meter.RatedMaxPerHour * hours)
            return ReadingVerdict.Of(VerdictKind.Suspect, Invariant($"delta {raw.Total} over {hours:0.##} h exceeds {meter.RatedMaxPerHour}/h"));

        if (raw.Periods is { } periods && Math.Abs(periods.Values.Sum() - raw.Total) > meter.Resolution)
            return ReadingVerdict.Of(VerdictKind.Suspect, Invariant($"period registers moved {periods.Values.Sum()}, total register moved {raw.Total}"));

        return raw.Billed(meter.Multiplier);
    }

    private sealed record RawDelta(decimal Total, Dictionary<Period, decimal>? Periods, string? Rejection)
    {
        public ReadingVerdict Billed(decimal multiplier) => new(VerdictKind.Billable, Total * multiplier,
            Periods?.ToDictionary(p => p.Key, p => p.Value * multiplier), null);
    }

    private static RawDelta Measure(MeterSpec meter, Registers last, Registers reading)
    {
        if (ReadingCheck.Delta(last.Total, reading.Total, meter.RegisterMax) is not { } total)
            return new(0m, null, Invariant($"total went back from {last.Total} to {reading.Total}"));
        if (!last.HasPeriods || !reading.HasPeriods) return new(total, null, null);

        var periods = new Dictionary<Period, decimal>();
        foreach (var p in Enum.GetValues<Period>())
        {
            if (ReadingCheck.Delta(last[p]!.Value, reading[p]!.Value, meter.RegisterMax) is not { } d)
                return new(0m, null, Invariant($"{p} register went back from {last[p]} to {reading[p]}"));
            periods[p] = d;
        }
        return new(total, periods, null);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
