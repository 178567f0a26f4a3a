namespace Prepaid.Tests.Devices.Support;

/// <summary>A clock the test moves by hand, so simulated meters accrue exactly what the test says.</summary>
public sealed class SettableTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static SettableTimeProvider At2026() => new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
