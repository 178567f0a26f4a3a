namespace Prepaid.Engine;

/// <summary>R13: cuts a quantity at the tier limits, starting from what the tier period has already used.</summary>
internal static class TierSplit
{
    /// <summary>
    /// The quantity billed in each tier, by tier index; the last tier takes whatever remains.
    /// A struct enumerator (use with foreach), so pricing allocates nothing to walk the tiers.
    /// </summary>
    public static Enumerator Split(IReadOnlyList<Tier> tiers, decimal used, decimal quantity) => new(tiers, used, quantity);

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
