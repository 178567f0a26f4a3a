namespace Prepaid.Engine;

/// <summary>
/// A TOU version's segments as ranges of the local day in ticks [Start, End). To = 00:00 means the end of the day;
/// a segment whose To is not after its From wraps midnight (23:00–07:00), so From = To covers the whole day.
/// </summary>
internal sealed record TouRange(long Start, long End, Period Period, int Segment);

internal static class TouDay
{
    public const long Length = TimeSpan.TicksPerDay;

    public static IReadOnlyList<TouRange> Ranges(IReadOnlyList<TouSegment> segments)
    {
        var ranges = new List<TouRange>();
        for (var i = 0; i < segments.Count; i++)
        {
            var (from, to) = (segments[i].From.Ticks, segments[i].To.Ticks);
            if (to == 0) to = Length;
            if (to > from) ranges.Add(new(from, to, segments[i].Period, i));
            else
            {
                ranges.Add(new(from, Length, segments[i].Period, i));
                if (to > 0) ranges.Add(new(0, to, segments[i].Period, i));
            }
        }
        return [.. ranges.OrderBy(r => r.Start).ThenBy(r => r.Segment)];
    }

    /// <summary>Local times of day where the period may change; midnight always, as the day itself changes there.</summary>
    public static IReadOnlyList<long> Boundaries(IReadOnlyList<TouRange> ranges) =>
        [.. ranges.SelectMany(r => new[] { r.Start, r.End % Length }).Append(0L).Distinct().Order()];
}
