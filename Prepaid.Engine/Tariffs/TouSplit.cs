namespace Prepaid.Engine;

/// <summary>R11 without period registers: shares [a, b) among the periods by local time of day, at constant power.</summary>
internal static class TouSplit
{
    public static SortedDictionary<Period, decimal> ByTime(TouVersion version, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b, TimeShare share)
    {
        var ranges = TouDay.Ranges(version.Segments);
        var quantities = new SortedDictionary<Period, decimal>();
        var cuts = Cuts(ranges, zone, a, b);
        for (var j = 0; j + 1 < cuts.Count; j++)
        {
            // No boundary lies inside (cuts[j], cuts[j+1]), so the period at its start holds throughout.
            var period = TouDay.PeriodAt(ranges, LocalClock.Local(cuts[j], zone).TimeOfDay.Ticks);
            quantities[period] = quantities.GetValueOrDefault(period) + share.Between(cuts[j], cuts[j + 1]);
        }
        return quantities;
    }

    /// <summary>
    /// Every instant in [a, b] where the period may change: each segment boundary on each local day (twice in a DST
    /// overlap, and never in a gap), plus the offset changes themselves, where the wall clock jumps.
    /// </summary>
    private static List<DateTimeOffset> Cuts(IReadOnlyList<TouRange> ranges, TimeZoneInfo zone, DateTimeOffset a, DateTimeOffset b)
    {
        var cuts = new SortedSet<DateTimeOffset>(LocalClock.OffsetChanges(zone, a, b)) { a, b };
        var boundaries = TouDay.Boundaries(ranges);
        var lastDay = LocalClock.Local(b, zone).Date + LocalClock.OneDay;
        for (var day = LocalClock.Local(a, zone).Date - LocalClock.OneDay; day <= lastDay; day += LocalClock.OneDay)
            foreach (var boundary in boundaries)
                foreach (var instant in LocalClock.Instants(day.AddTicks(boundary), zone))
                    if (a < instant && instant < b) cuts.Add(instant);
        return [.. cuts];
    }
}
