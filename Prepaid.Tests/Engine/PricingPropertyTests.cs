using System.Numerics;
using CsCheck;
using Xunit;
using Prepaid.Engine;
using static Prepaid.Tests.Engine.TestData;

namespace Prepaid.Tests.Engine;

public class PricingPropertyTests
{
    private static readonly DateTimeOffset Start = Utc(2026, 1, 1);

    /// <summary>A total in 0.001 units and two independent ways of cutting it into consecutive readings.</summary>
    private static readonly Gen<(long Total, int[] CutsA, int[] CutsB, int[] GapsMinutes, int PriceUnits)> SplitReadings =
        Gen.Int[0, 50_000_000].SelectMany(total => Gen.Select(
            Gen.Const((long)total), Gen.Int[0, total].Array[0, 30], Gen.Int[0, total].Array[0, 30],
            Gen.Int[1, 100_000].Array[31, 31], Gen.Int[1, 30_000]));

    [Fact] // R4 + R10: debits of any split of the readings add up to round(total quantity × price), once
    public void Price_AnySplitIntoReadings_DebitsSumToRoundedTotalCost() =>
        SplitReadings.Sample(s =>
        {
            var price = s.PriceUnits / 10_000m;
            var total = s.Total / 1000m;
            var expected = Money.Round(total * price);
            Assert.Equal(expected, DebitAll(Pieces(s.Total, s.CutsA), s.GapsMinutes, price));
            Assert.Equal(expected, DebitAll(Pieces(s.Total, s.CutsB), s.GapsMinutes, price));
        }, iter: 500);

    private static decimal[] Pieces(long total, int[] cuts)
    {
        var points = cuts.Select(c => (long)c).Append(0).Append(total).Order().ToArray();
        return [.. points.Zip(points.Skip(1), (a, b) => (b - a) / 1000m)];
    }

    private static Money DebitAll(decimal[] pieces, int[] gapsMinutes, decimal price)
    {
        var (charge, sum, at) = (MeterCharge.Opening, Money.Zero, Start);
        for (var i = 0; i < pieces.Length; i++)
        {
            var next = at.AddMinutes(gapsMinutes[i]);
            (charge, var debit) = charge.Add(Pricing.Price(Request(Flat(price), at, next, pieces[i])).Cost);
            (sum, at) = (sum + debit, next);
        }
        Assert.Equal(charge.Debited, sum);
        return sum;
    }

    /// <summary>A day cut at 1–6 distinct minutes into segments that follow each other round the clock; the last wraps midnight.</summary>
    private static readonly Gen<TouSegment[]> DaySegments = Gen.Select(Gen.Int[0, 1439].Array[1, 6], Gen.Int[0, 3].Array[6, 6], (cuts, periods) =>
    {
        var b = cuts.Distinct().Order().ToArray();
        return b.Select((start, i) => new TouSegment(Minute(start), Minute(b[(i + 1) % b.Length]), (Period)periods[i])).ToArray();
    });

    private static TimeOnly Minute(int m) => new(m / 60, m % 60);

    private static readonly Gen<Tier[]> Tiers = Gen.Select(Gen.Int[1, 500_000].Array[0, 3], Gen.Int[0, 20_000].Array[4, 4], (steps, prices) =>
    {
        var limit = 0m;
        var tiers = steps.Select((step, i) => new Tier(limit += step / 1000m, prices[i] / 10_000m)).ToList();
        tiers.Add(new Tier(null, prices[3] / 10_000m));
        return tiers.ToArray();
    });

    private static readonly Gen<Func<DateTimeOffset, TariffVersion>> Version = Gen.Int[0, 2].SelectMany(kind => kind switch
    {
        0 => Gen.Int[0, 20_000].Select(p => (Func<DateTimeOffset, TariffVersion>)(at => new FlatVersion(at, p / 10_000m))),
        1 => DaySegments.Select(s => (Func<DateTimeOffset, TariffVersion>)(at => new TouVersion(at, TouPrices, s))),
        _ => Gen.Select(Tiers, Gen.Bool, (t, yearly) => (Func<DateTimeOffset, TariffVersion>)(at => new TieredVersion(at, yearly ? TierPeriod.Year : TierPeriod.Month, t))),
    });

    /// <summary>
    /// Any zone, From within two years, up to 40 days long (or zero), 1–4 versions with later ones effective anywhere
    /// from one interval before From to one after To, and some usage already in From's month.
    /// </summary>
    private static readonly Gen<PricingRequest> Requests = Gen.Select(
        Gen.Bool, Gen.Long[0, 2L * 365 * TimeSpan.TicksPerDay], Gen.Long[0, 40 * TimeSpan.TicksPerDay], Gen.Long[0, 10_000_000_000],
        Version.Array[1, 4], Gen.Int[-1000, 2000].Array[3, 3], Gen.Int[0, 1_000_000],
        (berlin, fromTicks, length, milli, versions, offsets, usedMilli) =>
        {
            var zone = berlin ? Berlin : Shanghai;
            var from = Start.AddTicks(fromTicks);
            var to = from.AddTicks(length);
            var effective = versions.Select((v, i) => v(i == 0 ? LongAgo : from.AddTicks(length * offsets[i - 1] / 1000))).ToList();
            var used = usedMilli / 1000m;
            var usage = new TierUsage(new Dictionary<string, decimal>
            {
                [TierUsage.KeyOf(TierPeriod.Month, from, zone)] = used,
                [TierUsage.KeyOf(TierPeriod.Year, from, zone)] = used,
            });
            return new PricingRequest(new Tariff(Utility.Electricity, effective), zone, from, to, milli / 1000m, null, usage);
        });

    [Fact] // R11 + R12 + R13: however the interval is cut (versions, months, TOU segments, DST, tiers), the pieces add up exactly
    public void Price_AnyIntervalAndVersions_LineQuantitiesSumExactlyToQuantity() =>
        Requests.Sample(request =>
        {
            var priced = Pricing.Price(request);

            Assert.Equal(request.Quantity, priced.Lines.Sum(l => l.Quantity));
            // R1: the cost divides once; the lines' costs are their rounded time shares × price, so they explain it to far below a fen.
            Assert.True(Math.Abs(priced.Cost - priced.Lines.Sum(l => l.Cost)) < 0.000001m, $"cost {priced.Cost}, lines {priced.Lines.Sum(l => l.Cost)}");
            Assert.All(priced.Lines, l =>
            {
                Assert.True(l.Quantity > 0m);
                Assert.True(request.From <= l.From && l.From <= l.To && l.To <= request.To);
            });
            // R13: everything billed is counted once in its month and once in its year.
            Assert.Equal(request.Quantity, UsageGrowth(request.Usage, priced.UsageAfter, "yyyy-MM".Length));
            Assert.Equal(request.Quantity, UsageGrowth(request.Usage, priced.UsageAfter, "yyyy".Length));
        }, iter: 1000);

    private static decimal UsageGrowth(TierUsage before, TierUsage after, int keyLength) =>
        after.UsedByPeriod.Where(u => u.Key.Length == keyLength).Sum(u => u.Value - before.Used(u.Key));

    [Fact] // R11: any cyclic segmentation of the day passes validation, and a whole day splits by its hours
    public void Validate_AnyCyclicSegments_NoProblemsAndWholeDaySplitsByDuration() =>
        DaySegments.Sample(segments =>
        {
            var tariff = Tou(segments);
            Assert.Empty(TariffRules.Validate(tariff, null));

            // 1440 units over one Shanghai day: one unit a minute, so each period gets its minutes.
            var priced = Pricing.Price(Request(tariff, Cst(2026, 3, 2), Cst(2026, 3, 3), 1440m));
            var minutes = new Dictionary<string, decimal>();
            for (var m = 0; m < 1440; m++)
            {
                var label = segments.Last(s => Covers(s, m)).Period.ToString().ToLowerInvariant();
                minutes[label] = minutes.GetValueOrDefault(label) + 1m;
            }
            Assert.Equal(minutes.OrderBy(x => x.Key), priced.Lines.ToDictionary(l => l.Label, l => l.Quantity).OrderBy(x => x.Key));
        }, iter: 300);

    private static bool Covers(TouSegment s, int minute)
    {
        int from = s.From.Hour * 60 + s.From.Minute, to = s.To.Hour * 60 + s.To.Minute;
        return to > from ? from <= minute && minute < to : minute >= from || minute < to;
    }

    /// <summary>Consecutive readings inside March 2026 (Shanghai), cut from one total.</summary>
    private static readonly Gen<(long Total, int[] Cuts, int[] Gaps, Tier[] Tiers, int UsedMilli)> MarchReadings =
        Gen.Int[0, 5_000_000].SelectMany(total => Gen.Select(
            Gen.Const((long)total), Gen.Int[0, total].Array[0, 20], Gen.Int[1, 2000].Array[21, 21], Tiers, Gen.Int[0, 1_000_000]));

    [Fact] // R13: inside one tier period, tiering is additive: any split of the readings costs exactly what the whole does
    public void Price_TieredWithinOneMonth_AnySplitCostsTheSameExactly() =>
        MarchReadings.Sample(s =>
        {
            var tariff = new Tariff(Utility.Electricity, [new TieredVersion(LongAgo, TierPeriod.Month, s.Tiers)]);
            var usage = new TierUsage(new Dictionary<string, decimal> { ["2026-03"] = s.UsedMilli / 1000m });
            var pieces = Pieces(s.Total, s.Cuts);
            var (at, cost, carried) = (Cst(2026, 3, 1), 0m, usage);
            foreach (var (piece, gap) in pieces.Zip(s.Gaps))
            {
                var priced = Pricing.Price(Request(tariff, at, at.AddMinutes(gap), piece, usage: carried));
                (at, cost, carried) = (at.AddMinutes(gap), cost + priced.Cost, priced.UsageAfter);
            }

            var whole = Pricing.Price(Request(tariff, Cst(2026, 3, 1), at, s.Total / 1000m, usage: usage));

            Assert.Equal(whole.Cost, cost);
            Assert.Equal(whole.UsageAfter.Used("2026-03"), carried.Used("2026-03"));
        }, iter: 500);

    /// <summary>
    /// Shanghai (no DST, so local minutes are UTC minutes), From anywhere in a year, up to three days long (often a few
    /// minutes or an hour cut in thirds), 1–3 flat or TOU versions with 4-decimal prices effective anywhere around the interval.
    /// </summary>
    private static readonly Gen<PricingRequest> TimeShared = Gen.Select(
        Gen.Long[0, 365L * TimeSpan.TicksPerDay],
        Gen.Frequency((2, Gen.Long[1, 3 * TimeSpan.TicksPerDay]), (2, Gen.Int[1, 12].Select(n => n * TimeSpan.TicksPerHour / 3)), (1, Gen.Long[1, 1_000_000])),
        Gen.Long[0, 10_000_000_000],
        Gen.Select(Gen.Int[0, 20_000].Array[1, 3], DaySegments.Array[3, 3], Gen.Bool.Array[3, 3], Gen.Int[-1000, 2000].Array[2, 2]),
        Gen.Int[0, 20_000].Array[4, 4],
        (fromTicks, length, milli, versions, touPrices) =>
        {
            var (prices, segments, tou, offsets) = versions;
            var from = Start.AddTicks(fromTicks);
            var periodPrices = new Dictionary<Period, decimal>
            {
                [Period.Sharp] = touPrices[0] / 10_000m, [Period.Peak] = touPrices[1] / 10_000m, [Period.Flat] = touPrices[2] / 10_000m, [Period.Valley] = touPrices[3] / 10_000m,
            };
            var effective = prices.Select((p, i) =>
            {
                var at = i == 0 ? LongAgo : from.AddTicks(length * offsets[i - 1] / 1000);
                return tou[i] ? (TariffVersion)new TouVersion(at, periodPrices, segments[i]) : new FlatVersion(at, p / 10_000m);
            }).OrderBy(v => v.EffectiveFrom).ToList();
            return new PricingRequest(new Tariff(Utility.Electricity, effective), Shanghai, from, from.AddTicks(length), milli / 1000m, null, TierUsage.Empty);
        });

    [Fact] // R1 + R11 + R12: the cost is q × Σ(priceᵢ × tᵢ) / T as an exact rational, to decimal's last digits, and posts as R4 rounds it
    public void Price_AnyTimeSharedRequest_CostIsExactRationalDividedOnce_R1() =>
        TimeShared.Sample(request =>
        {
            var exact = ExactCost(request);
            var cost = Pricing.Price(request).Cost;

            Assert.True((Fraction.Of(cost) - exact).Abs() < new Fraction(1, BigInteger.Pow(10, 18)), $"cost {cost}, exact {exact}");
            Assert.Equal((long)(exact * 100).RoundHalfAwayFromZero(), Money.Round(cost).Fen);
        }, iter: 300, print: r => $"{r.From:O}..{r.To:O} q={r.Quantity} [{string.Join("; ", r.Tariff.Versions.Select(v => $"{v.GetType().Name} {v.EffectiveFrom:O}"))}]");

    /// <summary>
    /// The reference, minute by minute: every piece of [From, To) between minute boundaries and version changes is priced
    /// at the price in force at its start, Σ price × ticks summed exactly, times the quantity, over the interval's ticks.
    /// </summary>
    private static Fraction ExactCost(PricingRequest request)
    {
        var (from, to) = (request.From.UtcTicks, request.To.UtcTicks);
        var cuts = new SortedSet<long> { from, to };
        foreach (var v in request.Tariff.Versions)
            if (from < v.EffectiveFrom.UtcTicks && v.EffectiveFrom.UtcTicks < to) cuts.Add(v.EffectiveFrom.UtcTicks);
        for (var minute = from - from % TimeSpan.TicksPerMinute + TimeSpan.TicksPerMinute; minute < to; minute += TimeSpan.TicksPerMinute) cuts.Add(minute);

        var sum = Fraction.Zero;
        var points = cuts.ToArray();
        for (var i = 0; i + 1 < points.Length; i++)
        {
            var version = request.Tariff.Versions.Last(v => v.EffectiveFrom.UtcTicks <= points[i]);
            var price = version switch
            {
                FlatVersion f => f.Price,
                TouVersion t => t.Prices[t.Segments.Last(s => Covers(s, (int)((points[i] + 8 * TimeSpan.TicksPerHour) % TimeSpan.TicksPerDay / TimeSpan.TicksPerMinute))).Period],
                _ => throw new InvalidOperationException(),
            };
            sum += Fraction.Of(price) * (points[i + 1] - points[i]);
        }
        return Fraction.Of(request.Quantity) * sum / (to - from);
    }
}
