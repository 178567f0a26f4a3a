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
        ? local.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : local.ToString("yyyy", CultureInfo.InvariantCulture);

    /// <summary>Local month starts in (a, b): where monthly usage, and so also yearly usage, changes key.</summary>
    internal static IEnumerable<DateTimeOffset> MonthStarts(TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b)
    {
        var local = LocalClock.Local(a, zone);
        for (var month = new DateTime(local.Year, local.Month, 1).AddMonths(1); ; month = month.AddMonths(1))
        {
            var start = LocalClock.Start(month, zone);
            if (start >= b) yield break;
            if (start > a) yield return start;
        }
    }
}
