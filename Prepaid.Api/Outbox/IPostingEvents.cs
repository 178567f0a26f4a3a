namespace Prepaid.Api.Outbox;

/// <summary>
/// Told after a posting transaction commits, with the outbox rows it stored, so live views (the dashboard hub,
/// the device dispatcher) can react at once instead of polling. The outbox stays the durable record.
/// </summary>
public interface IPostingEvents
{
    void Posted(IReadOnlyList<OutboxRow> rows);
}

/// <summary>Until a live consumer is wired, nothing listens; the outbox table is read through the API.</summary>
public sealed class NoPostingEvents : IPostingEvents
{
    public void Posted(IReadOnlyList<OutboxRow> rows) { }
}
