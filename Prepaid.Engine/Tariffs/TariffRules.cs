using System.Globalization;

namespace Prepaid.Engine;

/// <summary>A reason a tariff is refused, with the JSON path of the field at fault (e.g. "versions[0].segments[2]").</summary>
public sealed record TariffProblem(string Field, string Reason, bool IsPriceCap = false);

/// <summary>Checks a tariff before it is stored: shapes, segments, tiers, and the price cap (R17).</summary>
public static class TariffRules
{
    /// <summary>R17: the end price may exceed the catalogue price by at most 15 %.</summary>
    public const decimal PriceCapFactor = 1.15m;

    /// <summary>
    /// Prices ≥ 0 with at most 4 decimals (R3); versions strictly ascending by EffectiveFrom;
    /// TOU: all four prices, segments that neither overlap nor leave a gap over the 24 h day;
    /// tiers: UpTo strictly ascending and positive, only the last null.
    /// R17: for electricity with a catalogue price, any price above catalogue × 1.15 is a problem flagged IsPriceCap.
    /// Field names follow the API's request (camelCase JSON paths).
    /// </summary>
    public static IReadOnlyList<TariffProblem> Validate(Tariff tariff, decimal? catalogPrice)
    {
        var problems = new List<TariffProblem>();
        if (catalogPrice is { } c && (c <= 0m || decimal.Round(c, 4) != c))
            problems.Add(new("catalogPrice", "must be positive with at most 4 decimals"));
        var cap = tariff.Utility == Utility.Electricity && catalogPrice > 0m ? catalogPrice * PriceCapFactor : null;

        if (tariff.Versions.Count == 0) problems.Add(new("versions", "at least one version is required"));
        for (var i = 0; i < tariff.Versions.Count; i++)
        {
            var at = $"versions[{i}]";
            var version = tariff.Versions[i];
            if (i > 0 && version.EffectiveFrom <= tariff.Versions[i - 1].EffectiveFrom)
                problems.Add(new($"{at}.effectiveFrom", $"must be later than versions[{i - 1}].effectiveFrom"));

            switch (version)
            {
                case FlatVersion flat:
                    CheckPrice(problems, $"{at}.price", flat.Price, cap);
                    break;
                case TouVersion tou:
                    foreach (var p in Enum.GetValues<Period>())
                    {
                        var field = $"{at}.prices.{Camel(p)}";
                        if (tou.Prices.TryGetValue(p, out var price)) CheckPrice(problems, field, price, cap);
                        else problems.Add(new(field, "is required"));
                    }
                    CheckSegments(problems, at, tou.Segments);
                    break;
                case TieredVersion tiered:
                    CheckTiers(problems, at, tiered.Tiers, cap);
                    break;
                default:
                    problems.Add(new($"{at}.kind", "must be flat, tou or tiered"));
                    break;
            }
        }
        return problems;
    }

    private static void CheckPrice(List<TariffProblem> problems, string field, decimal price, decimal? cap)
    {
        if (price < 0m) problems.Add(new(field, "must not be negative"));
        if (decimal.Round(price, 4) != price) problems.Add(new(field, "has more than 4 decimals"));
        if (price > cap)
            problems.Add(new(field, Invariant($"{price} exceeds the cap {cap} (catalogue price × {PriceCapFactor})"), IsPriceCap: true));
    }

    // Walks the day's ranges in order: a range starting after the covered end leaves a gap, one starting before it overlaps.
    private static void CheckSegments(List<TariffProblem> problems, string at, IReadOnlyList<TouSegment> segments)
    {
        var covered = 0L;
        TouRange? previous = null;
        foreach (var range in TouDay.Ranges(segments))
        {
            if (range.Start > covered) problems.Add(new($"{at}.segments", $"no segment covers {Clock(covered)}–{Clock(range.Start)}"));
            if (range.Start < covered && previous is not null)
                problems.Add(new($"{at}.segments[{range.Segment}]", $"overlaps segments[{previous.Segment}]"));
            if (range.End > covered) (covered, previous) = (range.End, range);
        }
        if (covered < TouDay.Length) problems.Add(new($"{at}.segments", $"no segment covers {Clock(covered)}–24:00"));
    }

    private static void CheckTiers(List<TariffProblem> problems, string at, IReadOnlyList<Tier> tiers, decimal? cap)
    {
        if (tiers.Count == 0) problems.Add(new($"{at}.tiers", "at least one tier is required"));
        for (var j = 0; j < tiers.Count; j++)
        {
            var field = $"{at}.tiers[{j}]";
            var last = j == tiers.Count - 1;
            var upTo = tiers[j].UpTo;
            if (last && upTo is not null) problems.Add(new($"{field}.upTo", "the last tier must have no upper limit"));
            if (!last && upTo is null) problems.Add(new($"{field}.upTo", "only the last tier may have no upper limit"));
            if (upTo <= 0m) problems.Add(new($"{field}.upTo", "must be positive"));
            if (j > 0 && upTo <= tiers[j - 1].UpTo) problems.Add(new($"{field}.upTo", $"must be above tiers[{j - 1}].upTo"));
            CheckPrice(problems, $"{field}.price", tiers[j].Price, cap);
        }
    }

    private static string Camel(Period p) => p.ToString().ToLowerInvariant();

    private static string Clock(long ticksOfDay) => ticksOfDay >= TouDay.Length ? "24:00"
        : new TimeOnly(ticksOfDay).ToString(ticksOfDay % TimeSpan.TicksPerMinute == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
