namespace Prepaid.Engine;

/// <summary>R11 without period registers: shares [a, b) among the periods by local time of day, at constant power.</summary>
internal static class TouSplit
{
    [ThreadStatic] private static DayCut[]? scratch;

    /// <summary>
    /// Adds each period's share of [a, b) to <paramref name="quantities"/> and its time in UTC ticks to <paramref name="ticks"/>
    /// (both indexed like plan.Periods), and marks the periods that got a piece (even of zero) in <paramref name="touched"/>:
    /// the entries a SortedDictionary by period would hold. The quantities are the time shares for lines and usage; the
    /// ticks are what R1 prices exactly. <paramref name="localA"/> and <paramref name="localB"/> are LocalClock.Local of a and b.
    /// </summary>
    public static void ByTime(TouPlan plan, TimeZoneInfo zone, DateTimeOffset a, DateTime localA, DateTimeOffset b, DateTime localB,
        TimeShare share, Span<decimal> quantities, Span<long> ticks, Span<bool> touched)
    {
        var cuts = scratch ?? new DayCut[64];
        scratch = null; // taken: a nested call on this thread (there is none) would make its own
        var count = Cuts(plan, zone, a, localA, b, localB, ref cuts);
        // share.Between(cuts[j], cuts[j + 1]) is At(cuts[j + 1]) − At(cuts[j]): each At is worked out once and carried on.
        var at = count > 0 ? share.At(cuts[0].UtcTicks) : 0m;
        for (var j = 0; j + 1 < count; j++)
        {
            // No boundary lies inside (cuts[j], cuts[j+1]), so the period at its start holds throughout.
            var timeOfDay = cuts[j].TimeOfDay >= 0
                ? cuts[j].TimeOfDay
                : LocalClock.Local(new DateTimeOffset(cuts[j].UtcTicks, TimeSpan.Zero), zone).TimeOfDay.Ticks;
            var period = plan.PeriodIndexAt(timeOfDay);
            var next = share.At(cuts[j + 1].UtcTicks);
            quantities[period] = quantities[period] + (next - at);
            ticks[period] += cuts[j + 1].UtcTicks - cuts[j].UtcTicks;
            at = next;
            touched[period] = true;
        }
        scratch = cuts;
    }

    /// <summary>
    /// Every instant in [a, b] where the period may change, ascending and distinct: each segment boundary on each local
    /// day (twice in a DST overlap, and never in a gap), plus the offset changes themselves, where the wall clock jumps.
    /// Only UTC instants matter here (local time and time shares depend on nothing else), so cuts are kept as UTC ticks.
    /// </summary>
    private static int Cuts(TouPlan plan, TimeZoneInfo zone, DateTimeOffset a, DateTime localA, DateTimeOffset b, DateTime localB, ref DayCut[] cuts)
    {
        var count = 0;
        for (var t0 = a; t0 < b;)
            if (LocalClock.NextOffsetChange(zone, ref t0, b) is { } change) Add(ref cuts, ref count, new(change.UtcTicks, -1));
        Add(ref cuts, ref count, new(a.UtcTicks, localA.TimeOfDay.Ticks));
        Add(ref cuts, ref count, new(b.UtcTicks, -1));

        var (lo, hi) = (a.UtcTicks, b.UtcTicks);
        var lastDay = localB.Date + LocalClock.OneDay;
        for (var day = localA.Date - LocalClock.OneDay; day <= lastDay; day += LocalClock.OneDay)
            foreach (var cut in plan.Cuts(zone, day))
                if (lo < cut.UtcTicks && cut.UtcTicks < hi) Add(ref cuts, ref count, cut);

        // Insertion sort: the days come in order, so only a, b and the offset changes are out of place.
        for (var i = 1; i < count; i++)
        {
            var cut = cuts[i];
            var j = i - 1;
            for (; j >= 0 && cuts[j].UtcTicks > cut.UtcTicks; j--) cuts[j + 1] = cuts[j];
            cuts[j + 1] = cut;
        }

        // Distinct instants; where one is listed twice, keep a known local time of day.
        var distinct = 0;
        for (var i = 0; i < count; i++)
        {
            if (distinct > 0 && cuts[distinct - 1].UtcTicks == cuts[i].UtcTicks)
            {
                if (cuts[distinct - 1].TimeOfDay < 0) cuts[distinct - 1] = cuts[i];
                continue;
            }
            cuts[distinct++] = cuts[i];
        }
        return distinct;
    }

    private static void Add(ref DayCut[] cuts, ref int count, DayCut cut)
    {
        if (count == cuts.Length) Array.Resize(ref cuts, cuts.Length * 2);
        cuts[count++] = cut;
    }
}
