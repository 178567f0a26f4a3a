using System.Runtime.InteropServices;

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

/// <summary>
/// One priced piece of a delta, for the ledger's detail and the account's statement: Cost = Quantity × Price, where
/// Quantity is the piece's time share kept to 10 decimals (see PricedDelta for how lines relate to the delta's cost).
/// </summary>
public sealed record PriceLine(DateTimeOffset From, DateTimeOffset To, string Label, decimal Quantity, decimal Price, decimal Cost);

/// <summary>
/// Exact (unrounded) cost, its lines, and the tier usage after this delta.
/// Cost is R1's single division, q × Σ(priceᵢ × tᵢ) / T; the lines' quantities are time shares rounded to 10 decimals
/// that add up exactly to the quantity (so usage does too). So Σ line costs equals Cost wherever the shares are finite
/// decimals, and otherwise differs from it by less than the shares' rounding (10⁻¹⁰ a share) times the prices: a statement
/// explains the cost to far below a fen; the ledger posts from Cost.
/// </summary>
public sealed record PricedDelta(decimal Cost, IReadOnlyList<PriceLine> Lines, TierUsage UsageAfter);

/// <summary>R10–R14: prices a delta exactly, with no rounding (R4 rounds only where the ledger posts).</summary>
public static class Pricing
{
    /// <summary>
    /// Splits [From, To) at version boundaries (R12) in proportion to time; per version:
    /// flat (R10); TOU (R11) by period quantities when given, otherwise by local-time segments in Zone with
    /// constant power; tiered (R13) split first at tier-period boundaries (R12), then at tier limits using Usage.
    /// Time-proportional shares are computed so they add up exactly to the whole (the last piece takes the rest).
    /// R1: the cost divides by time once, at the end. Each piece adds price × its ticks to the rate of the quantity it shares
    /// (Quantity, or its period's register), a tier adds its filled limits' exact part (TierSplit.Exact), and
    /// Cost = Σ fixed + (Quantity × rate + Σ period quantity × period rate, periods ascending) / (To − From in ticks):
    /// exact whenever the result has a finite decimal form within decimal's 28 digits (0.635 stays 0.635), else correct to them.
    /// Throws when no version is effective at From, and on negative quantities or To before From.
    /// PeriodQuantities serve TOU versions only; flat and tiered versions price Quantity.
    /// Lines: one per version and label ("flat"; a TOU period such as "peak"; "tier 2 2026-11"), spanning the part of
    /// the interval that version covers (a tier line: the months of its tier period where that tier took quantity);
    /// lines of zero quantity are left out.
    /// UsageAfter adds every billed quantity, whatever the version's kind, to both its month and its year key.
    /// </summary>
    /// <remarks>
    /// This is the ingest hot path, so it allocates only what it returns: versions are re-sorted only when they are out of
    /// order, cuts and lines are gathered in stack or per-thread buffers, month starts, TOU day boundaries and usage keys
    /// are remembered (ZoneCache, TouPlan, TierUsage.Keys), and lines are merged as they come. Every sum is taken in the
    /// same order as the plain LINQ formulation (from 0m, line by line), so results are the same to the last digit and scale.
    /// </remarks>
    public static PricedDelta Price(PricingRequest request)
    {
        var (from, zone) = (request.From, request.Zone);
        if (request.To < from) throw new ArgumentException("To is before From.", nameof(request));
        if (request.Quantity < 0m || AnyNegative(request.PeriodQuantities))
            throw new ArgumentOutOfRangeException(nameof(request), "Quantities are never negative.");

        // A zero-length interval gets one tick, so that time shares stay defined and all of it lands at From.
        var to = request.To > from ? request.To : from.AddTicks(1);
        var versions = InOrder(request.Tariff.Versions);
        var first = versions.Count - 1;
        while (first >= 0 && !(versions[first].EffectiveFrom <= from)) first--;
        if (first < 0) throw new InvalidOperationException($"No tariff version is effective at {from:O}.");

        var total = new TimeShare(from, to, request.Quantity);
        var span = to.UtcTicks - from.UtcTicks;
        Span<PeriodShare> periodBuffer = stackalloc PeriodShare[MaxStackPeriods];
        var periods = request.PeriodQuantities is { } given ? Shares(given, from, to, periodBuffer) : default;
        var exact = new Exact();
        Span<decimal> periodRates = periods.Length <= MaxStackPeriods ? stackalloc decimal[MaxStackPeriods] : new decimal[periods.Length];
        var usage = new Dictionary<string, decimal>(request.Usage.UsedByPeriod);
        var lines = new LineMerger();

        Span<DateTimeOffset> monthBuffer = stackalloc DateTimeOffset[MaxStackMonths];
        for (var k = first; k < versions.Count && versions[k].EffectiveFrom < to; k++)
        {
            var version = versions[k];
            var a = k == first ? from : version.EffectiveFrom;
            var b = k + 1 < versions.Count && versions[k + 1].EffectiveFrom < to ? versions[k + 1].EffectiveFrom : to;
            if (b <= a) continue; // a later version with the same instant wins

            // Cutting at every month start keeps usage keyed right for any kind; shares telescope, so nothing changes the sum.
            var localA = LocalClock.Local(a, zone);
            var months = MonthStarts(zone, a, localA, b, monthBuffer, out var moreMonths);
            for (var j = 0; j <= months; j++)
            {
                var partFrom = j == 0 ? a : MonthAt(monthBuffer, moreMonths, j - 1);
                var partTo = j == months ? b : MonthAt(monthBuffer, moreMonths, j);
                var local = j == 0 ? localA : LocalClock.Local(partFrom, zone);
                var billed = PricePart(version, k, zone, partFrom, partTo, local, total, span, request.PeriodQuantities is not null, periods, usage,
                    ref lines, ref exact, periodRates);
                var keys = TierUsage.Keys.Of(local);
                AddUsage(usage, keys.Month, billed);
                AddUsage(usage, keys.Year, billed);
            }
        }

        var merged = lines.ToLines(request.To);
        var numerator = request.Quantity * exact.Rate;
        for (var i = 0; i < periods.Length; i++) numerator += periods[i].Share.Quantity * periodRates[i];
        return new PricedDelta(exact.Fixed + numerator / span, merged, new TierUsage(usage));
    }

    /// <summary>R1's running sums: Rate = Σ price × ticks of the pieces sharing Quantity; Fixed = the tiers' exact limit parts.</summary>
    private struct Exact
    {
        public decimal Rate;
        public decimal Fixed;
    }

    private const int MaxStackPeriods = 8, MaxStackMonths = 4;

    private static bool AnyNegative(IReadOnlyDictionary<Period, decimal>? quantities)
    {
        if (quantities is null) return false;
        if (quantities is Dictionary<Period, decimal> dictionary)
        {
            foreach (var q in dictionary.Values) if (q < 0m) return true;
            return false;
        }
        foreach (var q in quantities.Values) if (q < 0m) return true;
        return false;
    }

    /// <summary>The versions ordered by EffectiveFrom as a stable sort would leave them: as given when already in order.</summary>
    private static IReadOnlyList<TariffVersion> InOrder(IReadOnlyList<TariffVersion> versions)
    {
        for (var i = 1; i < versions.Count; i++)
            if (versions[i].EffectiveFrom < versions[i - 1].EffectiveFrom)
                return versions.OrderBy(v => v.EffectiveFrom).ToList();
        return versions;
    }

    /// <summary>One time share per given period, ascending by period (a SortedDictionary's order); a span over the buffer when it fits.</summary>
    private static Span<PeriodShare> Shares(IReadOnlyDictionary<Period, decimal> given, DateTimeOffset from, DateTimeOffset to, Span<PeriodShare> buffer)
    {
        // Keys of anything but a plain Dictionary are made unique the way ToDictionary did it: a duplicate throws.
        var unique = given is Dictionary<Period, decimal> dictionary && dictionary.Comparer == EqualityComparer<Period>.Default
            ? dictionary
            : Unique(given);
        var shares = unique.Count <= buffer.Length ? buffer[..unique.Count] : new PeriodShare[unique.Count];
        var n = 0;
        foreach (var (period, quantity) in unique)
        {
            var share = new PeriodShare(period, new TimeShare(from, to, quantity));
            var i = n++;
            for (; i > 0 && shares[i - 1].Period > period; i--) shares[i] = shares[i - 1];
            shares[i] = share;
        }
        return shares;
    }

    private static Dictionary<Period, decimal> Unique(IReadOnlyDictionary<Period, decimal> given)
    {
        var unique = new Dictionary<Period, decimal>();
        foreach (var (period, quantity) in given) unique.Add(period, quantity);
        return unique;
    }

    /// <summary>Local month starts in (a, b), ascending, into the buffer (the rest, if any, into a list); returns how many.</summary>
    private static int MonthStarts(TimeZoneInfo zone, DateTimeOffset a, DateTime localA, DateTimeOffset b,
        Span<DateTimeOffset> buffer, out List<DateTimeOffset>? more)
    {
        more = null;
        var count = 0;
        var cache = ZoneCache.Of(zone);
        for (var month = TierUsage.FirstMonthAfter(localA); ; month = month.AddMonths(1))
        {
            var start = cache.Start(month);
            if (start >= b) return count;
            if (start <= a) continue;
            if (count < buffer.Length) buffer[count] = start;
            else (more ??= []).Add(start);
            count++;
        }
    }

    private static DateTimeOffset MonthAt(Span<DateTimeOffset> buffer, List<DateTimeOffset>? more, int i) =>
        i < buffer.Length ? buffer[i] : more![i - buffer.Length];

    private static void AddUsage(Dictionary<string, decimal> usage, string key, decimal billed)
    {
        ref var used = ref CollectionsMarshal.GetValueRefOrAddDefault(usage, key, out _);
        used += billed; // a new key starts at default(decimal), i.e. 0m, as GetValueOrDefault gave
    }

    /// <summary>
    /// Prices [a, b) with one version into the merger and R1's sums; returns the quantity billed (the sum of the part's
    /// lines, from 0m).
    /// </summary>
    private static decimal PricePart(TariffVersion version, int k, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b, DateTime localA,
        TimeShare total, long span, bool byPeriods, ReadOnlySpan<PeriodShare> periods, Dictionary<string, decimal> usage, ref LineMerger lines,
        ref Exact exact, Span<decimal> periodRates)
    {
        var billed = 0m;
        var ticks = b.UtcTicks - a.UtcTicks;
        switch (version)
        {
            case FlatVersion flat:
            {
                var quantity = total.Between(a, b);
                lines.Add(k, "flat", quantity, flat.Price, a, b);
                exact.Rate += flat.Price * ticks;
                return billed + quantity;
            }
            case TouVersion tou when byPeriods:
                for (var i = 0; i < periods.Length; i++)
                {
                    var quantity = periods[i].Share.Between(a, b);
                    var price = PriceOf(tou, periods[i].Period, quantity);
                    lines.Add(k, Label(periods[i].Period), quantity, price, a, b);
                    periodRates[i] += price * ticks;
                    billed += quantity;
                }
                return billed;
            case TouVersion tou:
                return PriceTouByTime(tou, k, zone, a, b, localA, total, ref lines, ref exact);
            case TieredVersion tiered:
            {
                var keys = TierUsage.Keys.Of(localA);
                var used = usage.GetValueOrDefault(keys.Key(tiered.Period));
                foreach (var (tier, quantity) in TierSplit.Split(tiered.Tiers, used, total.Between(a, b)))
                {
                    lines.Add(k, keys.TierLabel(tiered.Period, tier), quantity, tiered.Tiers[tier].Price, a, b);
                    billed += quantity;
                }
                var (fixedCost, rate) = TierSplit.Exact(tiered.Tiers, used, total.Quantity, ticks, span);
                exact.Fixed += fixedCost;
                exact.Rate += rate;
                return billed;
            }
            default:
                throw new InvalidOperationException($"Unknown tariff version {version.GetType().Name}.");
        }
    }

    private static decimal PriceTouByTime(TouVersion tou, int k, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b, DateTime localA,
        TimeShare total, ref LineMerger lines, ref Exact exact)
    {
        var plan = TouPlan.Of(tou);
        var n = plan.Periods.Length;
        Span<decimal> quantities = n <= MaxStackPeriods ? stackalloc decimal[MaxStackPeriods] : new decimal[n];
        Span<long> ticks = n <= MaxStackPeriods ? stackalloc long[MaxStackPeriods] : new long[n];
        Span<bool> touched = n <= MaxStackPeriods ? stackalloc bool[MaxStackPeriods] : new bool[n];
        TouSplit.ByTime(plan, zone, a, localA, b, LocalClock.Local(b, zone), total, quantities, ticks, touched);

        var billed = 0m;
        for (var i = 0; i < n; i++)
        {
            if (!touched[i]) continue;
            var period = plan.Periods[i];
            var price = PriceOf(tou, period, quantities[i]);
            lines.Add(k, Label(period), quantities[i], price, a, b);
            exact.Rate += price * ticks[i];
            billed += quantities[i];
        }
        return billed;
    }

    private static decimal PriceOf(TouVersion tou, Period period, decimal quantity) =>
        tou.Prices.TryGetValue(period, out var price) ? price
        : quantity == 0m ? 0m
        : throw new InvalidOperationException($"The TOU version has no {Label(period)} price.");

    private static PriceLine Line(DateTimeOffset a, DateTimeOffset b, string label, decimal quantity, decimal price) =>
        new(a, b, label, quantity, price, quantity * price);

    /// <summary>Labels of the defined periods, by value; any other value is spelt out per call, as before.</summary>
    private static readonly string?[] Labels = LabelsByValue();

    private static string?[] LabelsByValue()
    {
        var values = Enum.GetValues<Period>().Where(p => p >= 0 && (int)p < 64).ToArray();
        var labels = new string?[values.Length == 0 ? 0 : (int)values.Max() + 1];
        foreach (var p in values) labels[(int)p] = p.ToString().ToLowerInvariant();
        return labels;
    }

    private static string Label(Period period) =>
        (uint)period < (uint)Labels.Length && Labels[(int)period] is { } label ? label : period.ToString().ToLowerInvariant();

    private readonly record struct PeriodShare(Period Period, TimeShare Share);

    /// <summary>
    /// One line per version and label (and price), in order of first appearance, built as the parts come: quantities add
    /// up from 0m, From is the earliest, To the latest clipped back for a zero-length request; zero quantities are left out.
    /// Works in a per-thread buffer, so merging allocates only the lines it returns.
    /// </summary>
    private struct LineMerger
    {
        [ThreadStatic] private static Group[]? scratch;

        private Group[]? groups;
        private int count;

        public void Add(int version, string label, decimal quantity, decimal price, DateTimeOffset from, DateTimeOffset to)
        {
            if (quantity == 0m) return;
            if (groups is null)
            {
                groups = scratch ?? new Group[8];
                scratch = null; // taken: a nested call on this thread (there is none) would make its own
            }
            for (var i = 0; i < count; i++)
            {
                ref var g = ref groups[i];
                if (g.Version != version || !string.Equals(g.Label, label) || g.Price != price) continue;
                g.Quantity += quantity;
                if (from < g.From) g.From = from;
                if (to > g.To) g.To = to;
                return;
            }
            if (count == groups.Length) Array.Resize(ref groups, groups.Length * 2);
            groups[count++] = new Group { Version = version, Label = label, Price = price, Quantity = 0m + quantity, From = from, To = to };
        }

        public readonly List<PriceLine> ToLines(DateTimeOffset requestTo)
        {
            var lines = new List<PriceLine>(count);
            if (groups is null) return lines;
            for (var i = 0; i < count; i++)
            {
                ref readonly var g = ref groups[i];
                lines.Add(Line(g.From, g.To > requestTo ? requestTo : g.To, g.Label, g.Quantity, g.Price));
            }
            Array.Clear(groups, 0, count);
            scratch = groups;
            return lines;
        }

        private struct Group
        {
            public int Version;
            public string Label;
            public decimal Price;
            public decimal Quantity;
            public DateTimeOffset From;
            public DateTimeOffset To;
        }
    }
}
