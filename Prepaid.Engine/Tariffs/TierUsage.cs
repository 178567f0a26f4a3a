using System.Globalization;

namespace Prepaid.Engine;

/// <summary>
/// R13: an account's cumulative billed quantity of one utility per tier period.
/// Keys are "yyyy-MM" for monthly and "yyyy" for yearly periods, in the site's time zone.
/// </summary>
public sealed record TierUsage(IReadOnlyDictionary<string, decimal> UsedByPeriod)
{
    public static readonly TierUsage Empty = new(new Dictionary<string, decimal>());

    public decimal Used(string periodKey) => UsedByPeriod.TryGetValue(periodKey, out var q) ? q : 0m;

    /// <summary>The key of the tier period holding an instant: "yyyy-MM" or "yyyy" of its local date in the site's zone.</summary>
    public static string KeyOf(TierPeriod period, DateTimeOffset at, TimeZoneInfo zone) => KeyOf(period, LocalClock.Local(at, zone));

    internal static string KeyOf(TierPeriod period, DateTime local) => period == TierPeriod.Month
        ? Keys.Of(local).Month
        : Keys.Of(local).Year;

    /// <summary>
    /// The first day of the month after the local date's: where the search for local month starts in (a, b) begins
    /// (where monthly usage, and so also yearly usage, changes key).
    /// </summary>
    internal static DateTime FirstMonthAfter(DateTime local) => new DateTime(local.Year, local.Month, 1).AddMonths(1);

    /// <summary>
    /// The keys of one local month, and its tier labels ("tier 2 2026-11", "tier 2 2026"), made once: pricing needs
    /// them on every call, and strings built per call were much of its garbage.
    /// </summary>
    internal sealed class Keys
    {
        private const int FirstYear = 1900, Years = 400, CachedTiers = 16;
        private static readonly Keys?[] Cache = new Keys?[Years * 12];

        private readonly string?[] monthTierLabels = new string?[CachedTiers];
        private readonly string?[] yearTierLabels = new string?[CachedTiers];

        private Keys(DateTime local)
        {
            Month = local.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            Year = local.ToString("yyyy", CultureInfo.InvariantCulture);
        }

        public string Month { get; }
        public string Year { get; }

        public static Keys Of(DateTime local)
        {
            var index = (local.Year - FirstYear) * 12 + local.Month - 1;
            if ((uint)index >= (uint)Cache.Length) return new Keys(local);
            return Volatile.Read(ref Cache[index]) ?? (Cache[index] = new Keys(local));
        }

        public string Key(TierPeriod period) => period == TierPeriod.Month ? Month : Year;

        /// <summary>$"tier {tier + 1} {key}" for the key of the period.</summary>
        public string TierLabel(TierPeriod period, int tier)
        {
            var key = Key(period);
            if ((uint)tier >= CachedTiers) return Label(tier, key);
            var labels = period == TierPeriod.Month ? monthTierLabels : yearTierLabels;
            return Volatile.Read(ref labels[tier]) ?? (labels[tier] = Label(tier, key));
        }

        private static string Label(int tier, string key) => $"tier {tier + 1} {key}";
    }
}
