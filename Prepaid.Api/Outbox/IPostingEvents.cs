namespace Prepaid.Api.Outbox;

/// <summary>
/// Told after a posting transaction commits, with the outbox rows it stored, so live consumers (the dashboard hub,
/// the device dispatcher) react at once instead of polling. The outbox table stays the durable record: a consumer
/// that misses an event (a restart) catches up from the table.
/// </summary>
public interface IPostingEvents
{
    void Posted(IReadOnlyList<OutboxRow> rows);
}

/// <summary>
/// Fans committed outbox rows out to every subscriber. Subscribers must not block: each hands the rows to its own
/// queue (a Channel) and works from there.
/// </summary>
public sealed class PostingEventBus : IPostingEvents
{
    readonly List<Action<IReadOnlyList<OutboxRow>>> subscribers = new();

    public void Subscribe(Action<IReadOnlyList<OutboxRow>> subscriber)
    {
        lock (subscribers) subscribers.Add(subscriber);
    }

    public void Posted(IReadOnlyList<OutboxRow> rows)
    {
        if (rows.Count == 0) return;
        Action<IReadOnlyList<OutboxRow>>[] current;
        lock (subscribers) current = subscribers.ToArray();
        foreach (var s in current) s(rows);
    }
}
