namespace Prepaid.Api.Dashboard;

/// <summary>
/// Where a node's reading of an id-ordered event table stands, when ids may become visible out of order: on PostgreSQL
/// and SQL Server an id is taken at insert and shows at commit, so id 10 can appear after 11 has been read. A plain
/// <c>id &gt; last</c> would skip 10 for ever. Here <see cref="Mark"/> only passes ids that were taken, or a hole that has
/// stayed open for <c>holeWait</c> since a later id was seen (a rolled-back insert, or an identity jump); reads start at
/// the mark, and ids above it already taken are remembered so none is taken twice.
/// </summary>
public sealed class EventCursor(TimeSpan holeWait)
{
    // Pacing, not business time: how long a hole may stay open is a matter of commit latency on the wall clock.
    readonly SortedDictionary<long, long> takenAbove = new(); // id → when it was first seen (Environment.TickCount64)

    /// <summary>Every id at or below it has been taken or given up; -1 before <see cref="Start"/>.</summary>
    public long Mark { get; private set; } = -1;

    public bool Started => Mark >= 0;

    /// <summary>Starts after what exists already: a node tells its clients what happens from its start on.</summary>
    public void Start(long maxId) => Mark = Math.Max(0, maxId);

    /// <summary>The ids of a read (rows with id above <see cref="Mark"/>) not taken before, in order; then moves the mark.</summary>
    public IReadOnlyList<long> Take(IEnumerable<long> ids, long nowTicks)
    {
        var fresh = new List<long>();
        foreach (var id in ids.Order())
            if (id > Mark && takenAbove.TryAdd(id, nowTicks)) fresh.Add(id);
        while (takenAbove.Count > 0)
        {
            var (lowest, seenAt) = takenAbove.First();
            // The next id, or a hole below one seen long enough ago that nothing will fill it any more.
            if (lowest != Mark + 1 && nowTicks - seenAt < holeWait.TotalMilliseconds) break;
            takenAbove.Remove(lowest);
            Mark = lowest;
        }
        return fresh;
    }

    /// <summary>Ids above the mark already taken (bounded by the events of one hole wait).</summary>
    public int Remembered => takenAbove.Count;
}
