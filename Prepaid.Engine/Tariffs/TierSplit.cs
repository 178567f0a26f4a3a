namespace Prepaid.Engine;

/// <summary>R13: cuts a quantity at the tier limits, starting from what the tier period has already used.</summary>
internal static class TierSplit
{
    /// <summary>
    /// The quantity billed in each tier, by tier index; the last tier takes whatever remains.
    /// A struct enumerator (use with foreach), so pricing allocates nothing to walk the tiers.
    /// </summary>
    public static Enumerator Split(IReadOnlyList<Tier> tiers, decimal used, decimal quantity) => new(tiers, used, quantity);

    /// <summary>
    /// R1 + R13: the exact cost of the time share quantity × ticks / span of a delta, tiered from <paramref name="used"/>,
    /// as cost = Fixed + quantity × Rate / span, so the caller divides once for the whole delta. The share fills each tier
    /// whose room (limit − used) is below it, compared exactly as room × span against quantity × ticks, and the tier where
    /// it ends takes the exact rest: Fixed = Σ room × price over the filled tiers − Σ room × that tier's price, and
    /// Rate = that tier's price × ticks. Split decides the decimal quantities of lines and usage; this decides the money.
    /// </summary>
    public static (decimal Fixed, decimal Rate) Exact(IReadOnlyList<Tier> tiers, decimal used, decimal quantity, long ticks, long span)
    {
        if (tiers.Count == 0) throw new InvalidOperationException("A tiered version has no tiers.");
        var rest = quantity * ticks;
        var (fixedCost, filled) = (0m, 0m);
        for (var i = 0; ; i++)
        {
            if (i < tiers.Count - 1 && tiers[i].UpTo is { } upTo)
            {
                var room = upTo - used;
                if (room <= 0m) continue;
                if (room * span < rest)
                {
                    fixedCost += room * tiers[i].Price;
                    filled += room;
                    used += room;
                    rest -= room * span;
                    continue;
                }
            }
            return (fixedCost - filled * tiers[i].Price, tiers[i].Price * ticks);
        }
    }

    public struct Enumerator(IReadOnlyList<Tier> tiers, decimal used, decimal quantity)
    {
        private decimal used = used;
        private decimal remaining = quantity;
        private int next;

        public (int Tier, decimal Quantity) Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (tiers.Count == 0) throw new InvalidOperationException("A tiered version has no tiers.");
            for (var i = next; i < tiers.Count && remaining > 0m; i++)
            {
                var last = i == tiers.Count - 1 || tiers[i].UpTo is null;
                var take = last ? remaining : Math.Clamp(tiers[i].UpTo!.Value - used, 0m, remaining);
                if (take == 0m) continue;
                Current = (i, take);
                used += take;
                remaining -= take;
                next = i + 1;
                return true;
            }
            next = tiers.Count;
            return false;
        }
    }
}
