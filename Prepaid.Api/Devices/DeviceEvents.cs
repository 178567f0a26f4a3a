namespace Prepaid.Api.Devices;

/// <summary>A command's new state, as the dashboard shows it.</summary>
public sealed record CommandChange(long CommandId, long MeterId, string Kind, string State, string? Detail, string? Error, long? BatchId, DateTimeOffset At);

/// <summary>A batch's counts after one of its commands changed.</summary>
public sealed record BatchProgress(long BatchId, int Total, IReadOnlyDictionary<string, int> ByState, DateTimeOffset At);

/// <summary>A device alarm raised or cleared (offline, relay failure), or a meter's online state flipping.</summary>
public sealed record DeviceAlarmChange(long MeterId, string Kind, bool Raised, string Detail, DateTimeOffset At);

/// <summary>
/// The seam through which device-layer events leave after their commit: the dashboard pushes <c>batchProgress</c> and
/// <c>alarm</c> from here; <c>commandChanged</c> comes from the <c>command_events</c> rows written with each change
/// (<see cref="CommandEvents"/>), and a command change raised here only wakes their follower and refreshes the meter's grid row. Events are raised after the state is
/// committed, so a subscriber may read the database and see it. Subscribers must not block (hand off to a Channel or
/// fire-and-forget a hub send); an exception in one subscriber is caught and does not reach the dispatcher.
/// </summary>
/// <example>
/// <code>
/// app.Services.GetRequiredService&lt;DeviceEventBus&gt;().AlarmChanged += a =&gt;
///     _ = hub.Clients.All.SendAsync("alarm", a);
/// </code>
/// </example>
public sealed class DeviceEventBus(ILogger<DeviceEventBus> log)
{
    public event Action<CommandChange>? CommandChanged;
    public event Action<BatchProgress>? BatchProgressed;
    public event Action<DeviceAlarmChange>? AlarmChanged;

    public void Publish(CommandChange change) => Raise(CommandChanged, change);
    public void Publish(BatchProgress progress) => Raise(BatchProgressed, progress);
    public void Publish(DeviceAlarmChange alarm) => Raise(AlarmChanged, alarm);

    void Raise<T>(Action<T>? handlers, T value)
    {
        if (handlers is null) return;
        foreach (var h in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try { h(value); }
            catch (Exception e) { log.LogWarning(e, "A device event subscriber failed."); }
        }
    }
}
