namespace Prepaid.Engine;

/// <summary>The inputs for pricing one billable delta between two readings.</summary>
/// <param name="Quantity">Total quantity after multiplier.</param>
/// <param name="PeriodQuantities">Per-period quantities (R11) when the meter reports period registers; else null.</param>
public sealed record PricingRequest(
    Tariff Tariff,
    TimeZoneInfo Zone,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Quantity,
    IReadOnlyDictionary<Period, decimal>? PeriodQuantities,
    TierUsage Usage);

/// <summary>One priced piece of a delta, for the ledger's detail and the account's statement.</summary>
public sealed record PriceLine(DateTimeOffset From, DateTimeOffset To, string Label, decimal Quantity, decimal Price, decimal Cost);

/// <summary>Exact (unrounded) cost, its lines, and the tier usage after this delta.</summary>
public sealed record PricedDelta(decimal Cost, IReadOnlyList<PriceLine> Lines, TierUsage UsageAfter);

/// <summary>R10–R14: prices a delta exactly, with no rounding (R4 rounds only where the ledger posts).</summary>
public static class Pricing
{
    /// <summary>
    /// Splits [From, To) at version boundaries (R12) in proportion to time; per version:
    /// flat (R10); TOU (R11) by period quantities when given, otherwise by local-time segments in Zone with
    /// constant power; tiered (R13) split first at tier-period boundaries (R12), then at tier limits using Usage.
    /// Time-proportional shares are computed so they add up exactly to the whole (the last piece takes the rest).
    /// Throws when no version is effective at From, and on negative quantities or To before From.
    /// PeriodQuantities serve TOU versions only; flat and tiered versions price Quantity.
    /// Lines: one per version and label ("flat"; a TOU period such as "peak"; "tier 2 2026-11"), spanning the part of
    /// the interval that version covers (a tier line: the months of its tier period where that tier took quantity);
    /// lines of zero quantity are left out.
    /// UsageAfter adds every billed quantity, whatever the version's kind, to both its month and its year key.
    /// </summary>
    public static PricedDelta Price(PricingRequest request)
    {
        var (from, zone) = (request.From, request.Zone);
        if (request.To < from) throw new ArgumentException("To is before From.", nameof(request));
        if (request.Quantity < 0m || request.PeriodQuantities?.Values.Any(q => q < 0m) == true)
            throw new ArgumentOutOfRangeException(nameof(request), "Quantities are never negative.");

        // A zero-length interval gets one tick, so that time shares stay defined and all of it lands at From.
        var to = request.To > from ? request.To : from.AddTicks(1);
        var versions = request.Tariff.Versions.OrderBy(v => v.EffectiveFrom).ToList();
        var first = versions.FindLastIndex(v => v.EffectiveFrom <= from);
        if (first < 0) throw new InvalidOperationException($"No tariff version is effective at {from:O}.");

        var total = new TimeShare(from, to, request.Quantity);
        var periods = request.PeriodQuantities?.ToDictionary(p => p.Key, p => new TimeShare(from, to, p.Value));
        var usage = new Dictionary<string, decimal>(request.Usage.UsedByPeriod);
        var lines = new List<(int Version, PriceLine Line)>();

        for (var k = first; k < versions.Count && versions[k].EffectiveFrom < to; k++)
        {
            var a = k == first ? from : versions[k].EffectiveFrom;
            var b = k + 1 < versions.Count && versions[k + 1].EffectiveFrom < to ? versions[k + 1].EffectiveFrom : to;
            if (b <= a) continue; // a later version with the same instant wins

            // Cutting at every month start keeps usage keyed right for any kind; shares telescope, so nothing changes the sum.
            var cuts = TierUsage.MonthStarts(zone, a, b).Prepend(a).Append(b).ToList();
            for (var j = 0; j + 1 < cuts.Count; j++)
            {
                var part = PricePart(versions[k], zone, cuts[j], cuts[j + 1], total, periods, usage);
                lines.AddRange(part.Select(line => (k, line)));
                var billed = part.Sum(line => line.Quantity);
                var local = LocalClock.Local(cuts[j], zone);
                foreach (var key in new[] { TierUsage.KeyOf(TierPeriod.Month, local), TierUsage.KeyOf(TierPeriod.Year, local) })
                    usage[key] = usage.GetValueOrDefault(key) + billed;
            }
        }

        var merged = Merge(lines, request.To);
        return new PricedDelta(merged.Sum(l => l.Cost), merged, new TierUsage(usage));
    }

    private static List<PriceLine> PricePart(TariffVersion version, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b,
        TimeShare total, Dictionary<Period, TimeShare>? periods, Dictionary<string, decimal> usage)
    {
        switch (version)
        {
            case FlatVersion flat:
                return [Line(a, b, "flat", total.Between(a, b), flat.Price)];
            case TouVersion tou:
                var quantities = periods is null
                    ? TouSplit.ByTime(tou, zone, a, b, total)
                    : new SortedDictionary<Period, decimal>(periods.ToDictionary(p => p.Key, p => p.Value.Between(a, b)));
                return [.. quantities.Select(q => Line(a, b, Label(q.Key), q.Value, PriceOf(tou, q.Key, q.Value)))];
            case TieredVersion tiered:
                var key = TierUsage.KeyOf(tiered.Period, LocalClock.Local(a, zone));
                return [.. TierSplit.Split(tiered.Tiers, usage.GetValueOrDefault(key), total.Between(a, b))
                    .Select(t => Line(a, b, $"tier {t.Tier + 1} {key}", t.Quantity, tiered.Tiers[t.Tier].Price))];
            default:
                throw new InvalidOperationException($"Unknown tariff version {version.GetType().Name}.");
        }
    }

    private static decimal PriceOf(TouVersion tou, Period period, decimal quantity) =>
        tou.Prices.TryGetValue(period, out var price) ? price
        : quantity == 0m ? 0m
        : throw new InvalidOperationException($"The TOU version has no {Label(period)} price.");

    private static PriceLine Line(DateTimeOffset a, DateTimeOffset b, string label, decimal quantity, decimal price) =>
        new(a, b, label, quantity, price, quantity * price);

    /// <summary>One line per version and label, in order of first appearance; To is clipped back for a zero-length request.</summary>
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
}
