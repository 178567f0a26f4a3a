namespace Prepaid.Engine;

/// <summary>R13: cuts a quantity at the tier limits, starting from what the tier period has already used.</summary>
internal static class TierSplit
{
    /// <summary>The quantity billed in each tier, by tier index; the last tier takes whatever remains.</summary>
    public static IEnumerable<(int Tier, decimal Quantity)> Split(IReadOnlyList<Tier> tiers, decimal used, decimal quantity)
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
}
