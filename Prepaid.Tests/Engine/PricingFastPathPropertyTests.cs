using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using CsCheck;
using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

/// <summary>
/// The optimised hot path (cached month starts, TOU day plans and usage keys, stack buffers, merging as lines come)
/// against ReferencePricing, the plain formulation: over random zones with odd DST rules, intervals around offset changes
/// and month starts, mixed and unsorted versions, broken segments, odd scales and every error path, the results must be
/// the same to the bit (decimal scale, DateTimeOffset offset, line and usage order) and the errors the same type and message.
/// </summary>
public class PricingFastPathPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
    [
        .. new[]
        {
            "Asia/Shanghai", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe", "America/Havana", "Asia/Kolkata",
            "Pacific/Chatham", "Europe/Dublin", "Africa/Casablanca", "America/Sao_Paulo", "UTC",
        }.Select(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null).OfType<TimeZoneInfo>(),
    ];

    private static readonly DateTimeOffset Begin = Utc(2025, 1, 1);
    private const long Day = TimeSpan.TicksPerDay, Hour = TimeSpan.TicksPerHour, Minute = TimeSpan.TicksPerMinute;

    /// <summary>Per zone: its offset changes over 2025–2027 and its local month starts (roughly), where pricing cuts.</summary>
    private static readonly DateTimeOffset[][] Anchors = [.. Zones.Select(zone => OffsetChanges(zone).Concat(MonthStarts(zone)).ToArray())];

    private static IEnumerable<DateTimeOffset> OffsetChanges(TimeZoneInfo zone)
    {
        for (var t = Begin; t < Begin.AddYears(3); t = t.AddHours(1))
        {
            if (zone.GetUtcOffset(t) == zone.GetUtcOffset(t.AddHours(1))) continue;
            long lo = t.UtcTicks, hi = t.AddHours(1).UtcTicks;
            while (hi - lo > 1)
            {
                var mid = lo + (hi - lo) / 2;
                if (zone.GetUtcOffset(new DateTimeOffset(mid, TimeSpan.Zero)) != zone.GetUtcOffset(t)) hi = mid; else lo = mid;
            }
            yield return new DateTimeOffset(hi, TimeSpan.Zero);
        }
    }

    private static IEnumerable<DateTimeOffset> MonthStarts(TimeZoneInfo zone) =>
        Enumerable.Range(0, 36).Select(m => new DateTimeOffset(Begin.UtcDateTime.AddMonths(m) - zone.BaseUtcOffset, TimeSpan.Zero));

    private static readonly Gen<long> NearOffset = Gen.Frequency(
        (2, Gen.Long[-3 * Day, 3 * Day]),
        (3, Gen.Int[-8 * 4, 8 * 4].Select(q => q * 15 * Minute)),
        (2, Gen.Long[-2 * Hour, 2 * Hour]));

    private static readonly Gen<long> Length = Gen.Frequency(
        (1, Gen.Const(0L)), (4, Gen.Const(15 * Minute)), (2, Gen.Long[1, 2 * Hour]), (2, Gen.Long[0, 2 * Day]),
        (1, Gen.Const(Day)), (1, Gen.Long[0, 70 * Day]));

    /// <summary>An offset for a DateTimeOffset's own clock: it must survive into lines as it was.</summary>
    private static readonly Gen<TimeSpan> ClockOffset = Gen.Frequency(
        (3, Gen.Const(TimeSpan.Zero)), (2, Gen.Const(TimeSpan.FromHours(8))), (2, Gen.Int[-14 * 4, 14 * 4].Select(q => TimeSpan.FromMinutes(q * 15))));

    /// <summary>A decimal of the given thousandths with a random scale (1.5, 1.500 and 1.50000 price alike but print apart).</summary>
    private static Gen<decimal> Scaled(Gen<long> milli) => Gen.Select(milli, Gen.Int[0, 4], (m, extra) =>
        decimal.Parse((m / 1000m).ToString("F" + (3 + extra), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private static readonly Gen<TouSegment[]> Segments = Gen.Frequency(
        // Minute cuts, cyclic: a valid day.
        (6, Gen.Select(Gen.Int[0, 1439].Array[1, 7], Gen.Int[0, 3].Array[7, 7], (cuts, periods) => Cyclic(cuts.Select(c => c * 60), periods))),
        // Second cuts.
        (2, Gen.Select(Gen.Int[0, 86_399].Array[1, 5], Gen.Int[0, 3].Array[7, 7], (cuts, periods) => Cyclic(cuts, periods))),
        // One segment dropped: a gap somewhere in the day, which throws when a piece starts in it.
        (1, Gen.Select(Gen.Int[0, 1439].Array[2, 6], Gen.Int[0, 3].Array[7, 7], Gen.Int[0, 5], (cuts, periods, drop) =>
        {
            var all = Cyclic(cuts.Select(c => c * 60), periods);
            return all.Length < 2 ? all : [.. all.Where((_, i) => i != drop % all.Length)];
        })),
        // Overlapping segments in any order: the first range in (start, index) order wins.
        (1, Gen.Select(Gen.Int[0, 23].Array[2, 5], Gen.Int[0, 23].Array[5, 5], Gen.Int[0, 3].Array[5, 5], (froms, tos, periods) =>
            froms.Select((f, i) => new TouSegment(new TimeOnly(f, 0), new TimeOnly(tos[i], 0), (Period)periods[i])).ToArray())));

    private static TouSegment[] Cyclic(IEnumerable<int> secondCuts, int[] periods)
    {
        var b = secondCuts.Distinct().Order().ToArray();
        return [.. b.Select((start, i) => new TouSegment(TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(start)),
            TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(b[(i + 1) % b.Length])), (Period)periods[i]))];
    }

    private static readonly Gen<IReadOnlyDictionary<Period, decimal>> Prices = Gen.Frequency(
        (5, Gen.Const<IReadOnlyDictionary<Period, decimal>>(TouPrices)),
        (1, Gen.Int[0, 3].Select(missing => (IReadOnlyDictionary<Period, decimal>)TouPrices.Where(p => (int)p.Key != missing).ToDictionary())));

    private static readonly Gen<Tier[]> Tiers = Gen.Frequency(
        (8, Gen.Select(Gen.Int[1, 500_000].Array[0, 3], Gen.Int[0, 20_000].Array[4, 4], (steps, prices) =>
        {
            var limit = 0m;
            var tiers = steps.Select((step, i) => new Tier(limit += step / 1000m, prices[i] / 10_000m)).ToList();
            tiers.Add(new Tier(null, prices[3] / 10_000m));
            return tiers.ToArray();
        })),
        (1, Gen.Const<Tier[]>([])),
        (1, Gen.Const<Tier[]>([new Tier(5m, 0.5m), new Tier(null, 0.7m), new Tier(9m, 0.9m), new Tier(null, 1.1m)])));

    private static readonly Gen<Func<DateTimeOffset, TariffVersion>> Version = Gen.Int[0, 2].SelectMany(kind => kind switch
    {
        0 => Scaled(Gen.Long[0, 2_000]).Select(p => (Func<DateTimeOffset, TariffVersion>)(at => new FlatVersion(at, p))),
        1 => Gen.Select(Segments, Prices, (s, p) => (Func<DateTimeOffset, TariffVersion>)(at => new TouVersion(at, p, s))),
        _ => Gen.Select(Tiers, Gen.Bool, (t, yearly) =>
            (Func<DateTimeOffset, TariffVersion>)(at => new TieredVersion(at, yearly ? TierPeriod.Year : TierPeriod.Month, t))),
    });

    private static readonly Gen<IReadOnlyDictionary<Period, decimal>?> PeriodQuantities = Gen.Frequency(
        (5, Gen.Const((IReadOnlyDictionary<Period, decimal>?)null)),
        (4, Gen.Select(Gen.Int[0, 4].Array[0, 5], Scaled(Gen.Frequency((1, Gen.Const(0L)), (4, Gen.Long[0, 100_000_000]))).Array[5, 5],
            Gen.Int[0, 9], (periods, quantities, shape) =>
            {
                var map = new Dictionary<Period, decimal>();
                foreach (var (p, i) in periods.Select((p, i) => (p, i)))
                    map[p == 4 && shape == 0 ? (Period)7 : (Period)(p % 4)] = shape == 1 && i == 0 ? -1m : quantities[i];
                return shape switch
                {
                    2 => new SortedDictionary<Period, decimal>(map),
                    3 => new ReadOnlyDictionary<Period, decimal>(map),
                    _ => (IReadOnlyDictionary<Period, decimal>?)map,
                };
            })));

    private static readonly Gen<PricingRequest> Requests =
        Gen.Int[0, Zones.Length - 1].SelectMany(zi => Gen.Select(
            Gen.Frequency(
                (2, Gen.Long[0, 3 * 365 * Day].Select(t => Begin.AddTicks(t))),
                (3, Gen.Select(Gen.Int[0, Anchors[zi].Length - 1], NearOffset, (i, o) => Anchors[zi][i].AddTicks(o)))),
            Gen.Frequency((30, Length), (1, Gen.Const(-1L))),
            Gen.Select(ClockOffset, ClockOffset, Gen.Frequency((12, Gen.Const(0L)), (1, Gen.Long[-Hour, Hour]))),
            Gen.Select(Version.Array[1, 4], Gen.Int[-1000, 2000].Array[4, 4], Gen.Int[0, 5].Array[4, 4], ClockOffset, Gen.Int[0, 9]),
            Gen.Frequency((1, Gen.Const(0L)), (12, Gen.Long[0, 10_000_000_000]), (1, Gen.Const(-1L))).SelectMany(m => m < 0
                ? Gen.Const(-0.001m) : Scaled(Gen.Const(m))),
            PeriodQuantities,
            Gen.Select(Gen.Int[0, 3], Scaled(Gen.Long[0, 1_000_000]), Gen.Bool),
            (from, length, clocks, versions, quantity, periods, usageShape) =>
            {
                var zone = Zones[zi];
                var (fromClock, toClock, firstShift) = clocks;
                var (makers, permille, kinds, versionClock, order) = versions;
                var to = from.AddTicks(length);
                var effective = new List<TariffVersion>();
                for (var i = 0; i < makers.Length; i++)
                {
                    var at = i == 0 ? (firstShift == 0 ? LongAgo : from.AddTicks(firstShift)) : kinds[i] switch
                    {
                        0 => effective[^1].EffectiveFrom,                               // same instant as the one before
                        1 => Anchors[zi][(permille[i] + 1000) % Anchors[zi].Length],   // an offset change or a month start
                        _ => from.AddTicks(length * permille[i] / 1000),
                    };
                    effective.Add(makers[i](at.ToOffset(versionClock)));
                }
                if (order == 0) effective.Reverse();                                    // out of order: sorted stably first
                if (order == 1 && effective.Count > 1) (effective[0], effective[^1]) = (effective[^1], effective[0]);

                var (shape, used, container) = usageShape;
                var map = new Dictionary<string, decimal>();
                if (shape >= 1)
                {
                    map["2024-12"] = 3m;
                    map[TierUsage.KeyOf(TierPeriod.Month, from, zone)] = used;
                    map[TierUsage.KeyOf(TierPeriod.Year, from, zone)] = used * 2;
                }
                if (shape == 3) map[TierUsage.KeyOf(TierPeriod.Month, to > from ? to : from, zone)] = used + 1.5m;
                var usage = new TierUsage(container ? new ReadOnlyDictionary<string, decimal>(map) : map);

                return new PricingRequest(new Tariff(Utility.Electricity, effective), zone, from.ToOffset(fromClock), to.ToOffset(toClock),
                    quantity, periods, usage);
            }));

    [Fact] // R10–R14: the optimised Pricing.Price gives exactly what the plain formulation gives, errors included
    public void Price_RandomRequests_SameAsReferenceToTheBit() =>
        Requests.Sample(request =>
        {
            var expected = Outcome(() => ReferencePricing.Price(request));
            Assert.Equal(expected, Outcome(() => Pricing.Price(request)));
            Assert.Equal(expected, Outcome(() => Pricing.Price(request))); // again, with every cache warm
        }, iter: 4000, print: Print);

    /// <summary>The common ingest shapes (one TOU version, 15 minutes, Shanghai), many times over, on many threads.</summary>
    [Fact] // R11: the TOU hot path with its per-day instants cached stays the same as the reference
    public void Price_TouQuarterHours_SameAsReferenceToTheBit() =>
        Gen.Select(Gen.Long[0, 2 * 365 * 24 * 4], Scaled(Gen.Long[0, 5_000]), Segments, PeriodQuantities).Sample((quarter, quantity, segments, periods) =>
        {
            var from = Begin.AddTicks(quarter * 15 * Minute);
            var request = Request(Tou(segments), from, from.AddMinutes(15), quantity, periods: periods);
            Assert.Equal(Outcome(() => ReferencePricing.Price(request)), Outcome(() => Pricing.Price(request)));
        }, iter: 4000);

    [Fact] // R11: a segment list changed in place after pricing is planned again, not served from the cache
    public void Price_SegmentsChangedInPlace_PricedWithTheNewSegments()
    {
        TouSegment[] segments = [new(new(0, 0), new(12, 0), Period.Valley), new(new(12, 0), new(0, 0), Period.Peak)];
        var tariff = Tou(segments);
        var morning = Request(tariff, Cst(2026, 3, 2, 9), Cst(2026, 3, 2, 10), 1m);
        Assert.Equal("valley", Assert.Single(Pricing.Price(morning).Lines).Label);

        segments[0] = new(new(0, 0), new(12, 0), Period.Sharp);
        Assert.Equal("sharp", Assert.Single(Pricing.Price(morning).Lines).Label);
        Assert.Equal(Outcome(() => ReferencePricing.Price(morning)), Outcome(() => Pricing.Price(morning)));
    }

    [Fact] // R11–R13: the per-zone, per-plan and per-thread caches give every thread the same answers, cold or warm
    public void Price_ManyThreadsOnFreshTariffs_SameAsReference()
    {
        var requests = Enumerable.Range(0, 64).Select(i =>
        {
            var zone = Zones[i % Zones.Length];
            var from = Anchors[i % Zones.Length][i % Anchors[i % Zones.Length].Length].AddMinutes(-7 * i);
            TariffVersion version = (i % 3) switch
            {
                0 => new TouVersion(LongAgo, TouPrices, [.. TouDaySegments]), // a fresh segment list: a cold plan
                1 => new TieredVersion(LongAgo, TierPeriod.Month, [new Tier(0.5m, 0.4m), new Tier(null, 0.9m)]),
                _ => new FlatVersion(LongAgo, 0.6853m),
            };
            return Request(new Tariff(Utility.Electricity, [version]), from, from.AddMinutes(15 + 97 * i), 0.01m * (i + 1), zone);
        }).ToArray();
        var expected = requests.Select(r => Outcome(() => ReferencePricing.Price(r))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            if (Outcome(() => Pricing.Price(requests[n % requests.Length])) != expected[n % requests.Length]) Interlocked.Increment(ref mismatches);
        });
        Assert.Equal(0, mismatches);
    }

    private static readonly decimal[] Powers = [1m, 10m, 100m, 1000m];

    private static readonly Gen<(Registers Last, Registers Reading, long Minutes, decimal Multiplier, decimal RatedMax)> Readings =
        Gen.Select(
            Gen.Long[0, 999_999_999].Array[5, 5], Gen.Long[-2_000, 20_000].Array[5, 5], Gen.Int[0, 3], Gen.Int[-5, 600],
            Gen.Select(Gen.Int[1, 200], Gen.Int[0, 3]), Gen.Int[1, 100_000],
            (last, steps, shape, minutes, multiplier, ratedMax) =>
            {
                // shape 0: total only; 1: all periods; 2: periods on the new reading only; 3: some near the register's end (R7).
                decimal Value(long milli) => milli / 1000m;
                decimal Next(int i) => shape == 3 && i % 2 == 0 ? Value((last[i] + 999_990_000 + steps[i]) % 1_000_000_000) : Value(last[i] + steps[i]);
                var lastRegisters = shape is 0 or 2 ? new Registers(Value(last[0]))
                    : new Registers(Value(last[0]), Value(last[1]), Value(last[2]), Value(last[3]), Value(last[4]));
                var reading = shape == 0 ? new Registers(Next(0)) : new Registers(Next(0), Next(1), Next(2), Next(3), Next(4));
                return (lastRegisters, reading, (long)minutes, multiplier.Item1 / Powers[multiplier.Item2], ratedMax / 100m);
            });

    [Fact] // R6–R9, R11: the allocation-free ReadingCheck.Evaluate judges every reading as the plain formulation did
    public void Evaluate_RandomReadings_SameAsReference() =>
        Readings.Sample(r =>
        {
            var meter = new MeterSpec(Utility.Electricity, r.Multiplier, 1_000_000m, r.RatedMax, 0.01m);
            var lastAt = Cst(2026, 3, 2);
            var at = lastAt.AddMinutes(r.Minutes);
            Assert.Equal(Describe(ReferenceReadingCheck.Evaluate(meter, lastAt, r.Last, at, r.Reading)),
                Describe(ReadingCheck.Evaluate(meter, lastAt, r.Last, at, r.Reading)));
            Assert.Equal(Describe(ReferenceReadingCheck.Evaluate(meter, null, null, at, r.Reading)),
                Describe(ReadingCheck.Evaluate(meter, null, null, at, r.Reading)));
        }, iter: 3000);

    private static string Outcome(Func<PricedDelta> price)
    {
        try
        {
            return Describe(price());
        }
        catch (Exception e)
        {
            return $"{e.GetType().FullName}: {e.Message}";
        }
    }

    /// <summary>Everything observable, decimals by their bits (scale and sign included) and instants with their offsets.</summary>
    private static string Describe(PricedDelta priced)
    {
        var text = new StringBuilder($"cost {Bits(priced.Cost)}; lines {priced.Lines.GetType().Name}\n");
        foreach (var l in priced.Lines)
            text.Append(CultureInfo.InvariantCulture, $"  {l.From:O} {l.To:O} {l.Label} q={Bits(l.Quantity)} p={Bits(l.Price)} c={Bits(l.Cost)}\n");
        text.Append(CultureInfo.InvariantCulture, $"usage {priced.UsageAfter.UsedByPeriod.GetType().Name}:");
        foreach (var (key, used) in priced.UsageAfter.UsedByPeriod) text.Append(CultureInfo.InvariantCulture, $" {key}={Bits(used)}");
        return text.ToString();
    }

    private static string Describe(ReadingVerdict verdict) =>
        $"{verdict.Kind} q={Bits(verdict.Quantity)} reason={verdict.Reason} periods={verdict.PeriodQuantities?.GetType().Name}:" +
        string.Join(",", verdict.PeriodQuantities?.Select(p => $"{p.Key}={Bits(p.Value)}") ?? []);

    private static string Bits(decimal value) => $"{value.ToString(CultureInfo.InvariantCulture)}[{string.Join(' ', decimal.GetBits(value))}]";

    private static string Print(PricingRequest r) =>
        $"{r.Zone.Id} {r.From:O}..{r.To:O} q={r.Quantity} periods=[{string.Join(",", r.PeriodQuantities?.Select(p => $"{p.Key}={p.Value}") ?? [])}] " +
        $"usage=[{string.Join(",", r.Usage.UsedByPeriod.Select(u => $"{u.Key}={u.Value}"))}] versions=[{string.Join("; ", r.Tariff.Versions.Select(Print))}]";

    private static string Print(TariffVersion v) => v switch
    {
        FlatVersion f => $"flat {f.EffectiveFrom:O} {f.Price}",
        TouVersion t => $"tou {t.EffectiveFrom:O} prices {t.Prices.Count} [{string.Join(",", t.Segments.Select(s => $"{s.From:HH\\:mm\\:ss}-{s.To:HH\\:mm\\:ss} {s.Period}"))}]",
        TieredVersion t => $"tiered {t.EffectiveFrom:O} {t.Period} [{string.Join(",", t.Tiers.Select(x => $"{x.UpTo}@{x.Price}"))}]",
        _ => v.ToString(),
    };
}
