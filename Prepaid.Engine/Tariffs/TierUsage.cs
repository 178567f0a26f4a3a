namespace Prepaid.Engine;

/// <summary>
/// R13: an account's cumulative billed quantity of one utility per tier period.
/// Keys are "yyyy-MM" for monthly and "yyyy" for yearly periods, in the site's time zone.
/// </summary>
public sealed record TierUsage(IReadOnlyDictionary<string, decimal> UsedByPeriod)
{
    public static readonly TierUsage Empty = new(new Dictionary<string, decimal>());

    public decimal Used(string periodKey) => UsedByPeriod.TryGetValue(periodKey, out var q) ? q : 0m;
}
